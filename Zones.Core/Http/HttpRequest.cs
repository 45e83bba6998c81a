using System.Net;

namespace Zones;

/// <summary>
/// One parsed request: the head as it arrived (method, target, version, headers) plus what the
/// server worked out from it (decoded path, query, framing). Immutable for handlers; a handler
/// that wants to rewrite the path changes its <see cref="ZoneState"/>, not the request.
/// </summary>
public sealed partial class HttpRequest
{
    internal HttpRequest(string method, string target, string path, string queryString, HttpVersion version, HttpHeaders headers)
    {
        Method = method;
        Target = target;
        Path = path;
        QueryString = queryString;
        Version = version;
        Headers = headers;
    }

    /// <summary>The method, case as sent (methods are case-sensitive): GET, HEAD, POST…</summary>
    public string Method { get; }

    /// <summary>The request target exactly as it appeared on the request line.</summary>
    public string Target { get; }

    /// <summary>The path, percent-decoded once, dot segments removed; an encoded slash stays "%2F".</summary>
    public string Path { get; }

    /// <summary>The query without its '?', still percent-encoded; empty when absent.</summary>
    public string QueryString { get; }

    public HttpVersion Version { get; }

    public string Protocol => Version == HttpVersion.Http11 ? "HTTP/1.1" : "HTTP/1.0";

    public HttpHeaders Headers { get; }

    /// <summary>The Host header (or the authority of an absolute-form target); empty if an HTTP/1.0 client sent none.</summary>
    public string Host { get; internal set; } = "";

    public IPEndPoint? RemoteEndPoint { get; internal set; }

    public IPEndPoint? LocalEndPoint { get; internal set; }

    /// <summary>The declared Content-Length, or null when the body is chunked or absent.</summary>
    public long? ContentLength { get; internal set; }

    /// <summary>True when the body arrives with the chunked transfer coding.</summary>
    public bool IsChunked { get; internal set; }

    public bool HasBody => IsChunked || ContentLength > 0;

    /// <summary>
    /// The request body, decoded from Content-Length or chunked framing. Reading it sends
    /// "100 Continue" first when the client asked for it. It ends when the request ends.
    /// </summary>
    public Stream Body { get; internal set; } = Stream.Null;

    /// <summary>Trailer fields of a chunked body; filled once the body has been read to its end.</summary>
    public HttpHeaders Trailers => _trailers ??= new HttpHeaders(0);

    private HttpHeaders? _trailers;

    public bool IsHead => ReferenceEquals(Method, HttpMethods.Head) || Method == HttpMethods.Head;

    /// <summary>The client asked for "Expect: 100-continue".</summary>
    public bool ExpectsContinue { get; internal set; }

    /// <summary>The client will keep the connection open after this exchange, by its own headers.</summary>
    public bool KeepAliveRequested { get; internal set; }

    /// <summary>Accept, parsed and sorted by quality (highest first).</summary>
    public IReadOnlyList<QualityValue> Accept => _accept ??= QualityValues.Parse(ListValue(HeaderNames.Accept));

    /// <summary>Accept-Encoding, parsed and sorted by quality.</summary>
    public IReadOnlyList<QualityValue> AcceptEncoding => _acceptEncoding ??= QualityValues.Parse(ListValue(HeaderNames.AcceptEncoding));

    /// <summary>Accept-Language, parsed and sorted by quality.</summary>
    public IReadOnlyList<QualityValue> AcceptLanguage => _acceptLanguage ??= QualityValues.Parse(ListValue(HeaderNames.AcceptLanguage));

    private IReadOnlyList<QualityValue>? _accept, _acceptEncoding, _acceptLanguage;

    // A list-valued field may arrive on several lines; together they mean one comma-joined list (RFC 9110 §5.3).
    private string? ListValue(string name)
    {
        var values = Headers.GetValues(name);
        return values.Count switch { 0 => null, 1 => values[0], _ => string.Join(", ", values) };
    }

    /// <summary>The connection's number, as in the access log.</summary>
    public long ConnectionId { get; internal set; }

    /// <summary>Set by the connection: starts its watch for the client hanging up (see ZoneContext.WatchForDisconnect).</summary>
    internal Action? DisconnectWatch { get; set; }

    public override string ToString() => $"{Method} {Target} {Protocol}";
}
