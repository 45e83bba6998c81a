namespace Zones.Http;

/// <summary>
/// A parsed request head: the request line and header fields as they arrived, and what the
/// parser worked out from them (decoded path, query, Host, body framing, keep-alive, 100-continue).
/// A struct, so parsing allocates only the strings and the header list; HttpRequest wraps it.
/// </summary>
internal struct RequestHead(string method, string target, string path, string queryString, HttpVersion version, HttpHeaders headers)
{
    public string Method { get; } = method;
    public string Target { get; } = target;
    public string Path { get; } = path;
    public string QueryString { get; } = queryString;
    public HttpVersion Version { get; } = version;
    public HttpHeaders Headers { get; } = headers;

    /// <summary>The target's authority for an absolute-form target, else the Host header; "" when neither.</summary>
    public string Host { get; set; } = "";

    /// <summary>The declared Content-Length, or null when the body is chunked or absent.</summary>
    public long? ContentLength { get; set; }

    public bool IsChunked { get; set; }

    public readonly bool HasBody => IsChunked || ContentLength > 0;

    public bool ExpectsContinue { get; set; }

    /// <summary>The client will keep the connection open after this exchange, by its own headers.</summary>
    public bool KeepAliveRequested { get; set; }
}
