using System.Net;

namespace Zones.Server;

/// <summary>
/// One access-log line before it is formatted: taken on the request path (a copy of a few fields
/// and references, nothing formatted), written out later by <see cref="AccessLogWriter"/>.
/// <see cref="Request"/> is null for a head that could not be parsed.
/// </summary>
internal readonly record struct AccessRecord(DateTime Time, IPEndPoint? Remote, HttpRequest? Request, string? User, int Status, long Bytes, double Milliseconds);
