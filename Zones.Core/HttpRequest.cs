using System.Net;
using System.Security.Cryptography.X509Certificates;
using Zones.Http;
using Zones.RequestData;

namespace Zones;

/// <summary>
/// One request: the head as it arrived (method, target, version, headers) plus what the server
/// worked out from it (decoded path, query, framing), and the request data parsed on first use —
/// query, cookies, form. Immutable for handlers; a handler that wants to rewrite the path
/// changes its <see cref="ZoneState"/>, not the request.
/// </summary>
/// <remarks>
/// Valid until the request ends: its response sent, or its take-over returned. Do not keep it
/// (or its <see cref="Headers"/>, or a <see cref="ZoneState"/> or <see cref="ZoneContext"/> that
/// holds it) past that — in a field, a cache or a task still running: once a response has been
/// sent, a keep-alive connection resets this same object for its next request, whose headers,
/// query and body it then shows. Copy what must outlive the request (strings are safe to keep).
/// A request that was taken over is never reused.
/// </remarks>
public sealed class HttpRequest
{
    private RequestHead _head;
    private HttpHeaders? _trailers;
    private IReadOnlyList<QualityValue>? _accept, _acceptEncoding, _acceptLanguage;
    private ParameterList? _query;
    private ParameterList? _cookies;
    private Task<RequestForm>? _form;
    private List<IAsyncDisposable>? _disposables;

    internal HttpRequest(in RequestHead head) => _head = head;

    /// <summary>
    /// Makes this object the connection's next request (see RequestReuse.cs). Every field
    /// that belongs to one request is set here, so the next request sees nothing of the last —
    /// headers, query, cookies, form, body, trailers, connection facts. A field added to this
    /// class must be reset here too (a test lists the fields and fails on a new one).
    /// </summary>
    internal void Reset(in RequestHead head)
    {
        _head = head;
        _trailers?.Clear();
        _accept = _acceptEncoding = _acceptLanguage = null;
        _query = _cookies = null;
        _form = null;
        _disposables = null; // EndAsync has disposed them
        RemoteEndPoint = LocalEndPoint = null;
        IsHttps = false;
        ClientCertificate = null;
        ConnectionId = 0;
        Body = Stream.Null;
    }

    /// <summary>Parses a complete request head; for requests made without a connection (tests, tools).</summary>
    internal static HttpRequest Parse(ReadOnlySpan<byte> head) => new(RequestHeadParser.Parse(head));

    /// <summary>The method, case as sent (methods are case-sensitive): GET, HEAD, POST…</summary>
    public string Method => _head.Method;

    /// <summary>The request target exactly as it appeared on the request line.</summary>
    public string Target => _head.Target;

    /// <summary>The path, percent-decoded once, dot segments removed; an encoded slash stays "%2F".</summary>
    public string Path => _head.Path;

    /// <summary>The query without its '?', still percent-encoded; empty when absent.</summary>
    public string QueryString => _head.QueryString;

    /// <summary>The protocol version of the request line: HTTP/1.1 or HTTP/1.0.</summary>
    public Http.HttpVersion Version => _head.Version;

    /// <summary>The version as the request line writes it: "HTTP/1.1" or "HTTP/1.0".</summary>
    public string Protocol => Version == Http.HttpVersion.Http11 ? "HTTP/1.1" : "HTTP/1.0";

    /// <summary>The header fields as received: names compare case-insensitively, repeated fields keep each value.</summary>
    public HttpHeaders Headers => _head.Headers;

    /// <summary>The Host header, or the authority of an absolute-form target (which wins); empty if an HTTP/1.0 client sent neither.</summary>
    public string Host => _head.Host;

    /// <summary>The client's address and port (the TCP peer: a proxy's, behind one); null outside a connection.</summary>
    public IPEndPoint? RemoteEndPoint { get; internal set; }

    /// <summary>The listener's address and port the request came in on; null outside a connection.</summary>
    public IPEndPoint? LocalEndPoint { get; internal set; }

    /// <summary>True when the request came over TLS (an https:// listener).</summary>
    public bool IsHttps { get; internal set; }

    /// <summary>The certificate the client presented and the listener verified (mutual TLS), or null.</summary>
    public X509Certificate2? ClientCertificate { get; internal set; }

    /// <summary>The connection's number, as in the access log.</summary>
    public long ConnectionId { get; internal set; }

    /// <summary>The declared Content-Length, or null when the body is chunked or absent.</summary>
    public long? ContentLength => _head.ContentLength;

    /// <summary>True when the body arrives with the chunked transfer coding.</summary>
    public bool IsChunked => _head.IsChunked;

    /// <summary>True when the request has a body: a Content-Length above 0, or chunked.</summary>
    public bool HasBody => _head.HasBody;

    /// <summary>
    /// The request body, decoded from Content-Length or chunked framing. Reading it sends
    /// "100 Continue" first when the client asked for it. It ends when the request ends.
    /// </summary>
    public Stream Body { get; internal set; } = Stream.Null;

    /// <summary>Trailer fields of a chunked body; filled once the body has been read to its end.</summary>
    public HttpHeaders Trailers => _trailers ??= new HttpHeaders(0);

    /// <summary>True for HEAD: the response's head is sent, its body is not (the server drops it).</summary>
    public bool IsHead => ReferenceEquals(Method, HttpMethods.Head) || Method == HttpMethods.Head;

    /// <summary>The client asked for "Expect: 100-continue".</summary>
    public bool ExpectsContinue => _head.ExpectsContinue;

    /// <summary>The client will keep the connection open after this exchange, by its own headers.</summary>
    public bool KeepAliveRequested => _head.KeepAliveRequested;

    internal ref readonly RequestHead Head => ref _head;

    /// <summary>Accept, parsed and sorted by quality (highest first).</summary>
    public IReadOnlyList<QualityValue> Accept => _accept ??= QualityValues.Parse(ListValue(HeaderNames.Accept));

    /// <summary>Accept-Encoding, parsed and sorted by quality.</summary>
    public IReadOnlyList<QualityValue> AcceptEncoding => _acceptEncoding ??= QualityValues.Parse(ListValue(HeaderNames.AcceptEncoding));

    /// <summary>Accept-Language, parsed and sorted by quality.</summary>
    public IReadOnlyList<QualityValue> AcceptLanguage => _acceptLanguage ??= QualityValues.Parse(ListValue(HeaderNames.AcceptLanguage));

    // A list-valued field may arrive on several lines; together they mean one comma-joined list (RFC 9110 §5.3).
    private string? ListValue(string name)
    {
        var values = Headers.GetValues(name);
        return values.Count switch { 0 => null, 1 => values[0], _ => string.Join(", ", values) };
    }

    /// <summary>The query string's parameters, decoded ('+' and %XX, UTF-8), repeats kept. Parsed on first use.</summary>
    public ParameterList Query => _query ??= UrlEncoding.ParseQuery(QueryString);

    /// <summary>The cookies of the Cookie header(s), as sent. Parsed on first use.</summary>
    public ParameterList Cookies => _cookies ??= RequestData.Cookies.Parse(Headers.GetValues(HeaderNames.Cookie));

    /// <summary>True when the body is declared as application/x-www-form-urlencoded or multipart/form-data.</summary>
    public bool HasFormContentType => FormReader.IsFormContentType(Headers[HeaderNames.ContentType]);

    /// <summary>
    /// Reads the body as a form (urlencoded or multipart), once: later calls return the same form,
    /// whatever limits they pass. A request without a body gives an empty form; another content
    /// type, a malformed body or one over <paramref name="limits"/> throws
    /// <see cref="BadHttpRequestException"/> (415, 400 or 413), which the server sends to the client.
    /// Uploaded files in temporary storage are deleted when the request ends.
    /// </summary>
    public Task<RequestForm> ReadFormAsync(FormLimits? limits = null, CancellationToken cancellationToken = default) =>
        _form ??= ReadFormCoreAsync(limits ?? FormLimits.Default, cancellationToken);

    private async Task<RequestForm> ReadFormCoreAsync(FormLimits limits, CancellationToken cancellationToken)
    {
        if (!HasBody) return RequestForm.Empty;
        var form = await FormReader.ReadAsync(Body, Headers[HeaderNames.ContentType], limits, cancellationToken);
        RegisterForDispose(form);
        return form;
    }

    /// <summary>Disposes <paramref name="disposable"/> when this request ends: after its response is sent, its take-over returns, or its connection fails.</summary>
    public void RegisterForDispose(IAsyncDisposable disposable)
    {
        ArgumentNullException.ThrowIfNull(disposable);
        (_disposables ??= []).Add(disposable);
    }

    /// <summary>Called by the connection when the request is over, whatever way it ended; disposes in reverse order.</summary>
    internal async ValueTask EndAsync()
    {
        if (_disposables is not { } list) return;
        _disposables = null;
        List<Exception>? failures = null;
        for (var i = list.Count - 1; i >= 0; i--)
        {
            try { await list[i].DisposeAsync(); }
            catch (Exception e) { (failures ??= []).Add(e); }
        }
        if (failures is not null) throw new AggregateException("Disposing what a request registered failed.", failures);
    }

    /// <summary>The request line: "GET /x?y HTTP/1.1".</summary>
    public override string ToString() => $"{Method} {Target} {Protocol}";
}
