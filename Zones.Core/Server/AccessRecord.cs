using System.Net;

namespace Zones.Server;

/// <summary>
/// One access-log line before it is formatted: taken on the request path (a copy of a few fields
/// and references, nothing formatted), written out later by <see cref="AccessLogWriter"/>.
/// The request line's strings are copied, not the request: by the time the line is written the
/// connection may have reset the request for its next one (RequestReuse). <see cref="Method"/>
/// is null for a head that could not be parsed.
/// </summary>
internal readonly record struct AccessRecord(DateTime Time, IPEndPoint? Remote, string? Method, string? Target, string? Protocol, string? User, int Status, long Bytes, double Milliseconds);
