using System.Text;

namespace Zones.Http;

/// <summary>Common header names. The parser hands out these very strings for known names, so lookups compare by reference first.</summary>
public static class HeaderNames
{
    /// <summary>"Accept": the media types the client takes, with q-values (RFC 9110 §12.5.1).</summary>
    public const string Accept = "Accept";
    /// <summary>"Accept-Encoding": the content codings the client takes (br, gzip), with q-values.</summary>
    public const string AcceptEncoding = "Accept-Encoding";
    /// <summary>"Accept-Language": the languages the client prefers, with q-values.</summary>
    public const string AcceptLanguage = "Accept-Language";
    /// <summary>"Accept-Ranges": sent with a file: "bytes" says ranges may be asked for.</summary>
    public const string AcceptRanges = "Accept-Ranges";
    /// <summary>"Allow": the methods a resource supports; required with 405.</summary>
    public const string Allow = "Allow";
    /// <summary>"Authorization": the client's credentials ("Basic …", "Bearer …").</summary>
    public const string Authorization = "Authorization";
    /// <summary>"Cache-Control": caching directives, both ways ("no-cache", "max-age=3600").</summary>
    public const string CacheControl = "Cache-Control";
    /// <summary>"Connection": hop-by-hop options ("close", "keep-alive", "upgrade"); the server's to send.</summary>
    public const string Connection = "Connection";
    /// <summary>"Content-Disposition": inline or attachment, and a file name; also each part of a multipart form.</summary>
    public const string ContentDisposition = "Content-Disposition";
    /// <summary>"Content-Encoding": the coding applied to the body (br, gzip).</summary>
    public const string ContentEncoding = "Content-Encoding";
    /// <summary>"Content-Length": the body's length in bytes; the server's to send.</summary>
    public const string ContentLength = "Content-Length";
    /// <summary>"Content-Range": which bytes of the whole a 206 part holds, or the whole length with 416.</summary>
    public const string ContentRange = "Content-Range";
    /// <summary>"Content-Type": the body's media type, with its charset for text.</summary>
    public const string ContentType = "Content-Type";
    /// <summary>"Cookie": the cookies the client sends back.</summary>
    public const string Cookie = "Cookie";
    /// <summary>"Date": when the response was made; the server's to send.</summary>
    public const string Date = "Date";
    /// <summary>"ETag": the entity tag of the representation, for conditional requests.</summary>
    public const string ETag = "ETag";
    /// <summary>"Expect": "100-continue": the client waits for a go-ahead before sending the body.</summary>
    public const string Expect = "Expect";
    /// <summary>"Host": the authority the request is for; required in HTTP/1.1.</summary>
    public const string Host = "Host";
    /// <summary>"If-Match": send or change only if the entity tag is one of these (412 otherwise).</summary>
    public const string IfMatch = "If-Match";
    /// <summary>"If-Modified-Since": send only if changed since this date (304 otherwise).</summary>
    public const string IfModifiedSince = "If-Modified-Since";
    /// <summary>"If-None-Match": send only if the entity tag is none of these (304 otherwise).</summary>
    public const string IfNoneMatch = "If-None-Match";
    /// <summary>"If-Range": the ranges only if the representation is still this one, else the whole.</summary>
    public const string IfRange = "If-Range";
    /// <summary>"If-Unmodified-Since": send or change only if unchanged since this date (412 otherwise).</summary>
    public const string IfUnmodifiedSince = "If-Unmodified-Since";
    /// <summary>"Keep-Alive": HTTP/1.0's keep-alive parameters.</summary>
    public const string KeepAlive = "Keep-Alive";
    /// <summary>"Last-Event-ID": the id of the last Server-Sent Event the client received, on reconnecting.</summary>
    public const string LastEventId = "Last-Event-ID";
    /// <summary>"Last-Modified": when the representation last changed.</summary>
    public const string LastModified = "Last-Modified";
    /// <summary>"Location": where a redirect (3xx) or a created resource (201) is.</summary>
    public const string Location = "Location";
    /// <summary>"Origin": the origin of a cross-origin or WebSocket request.</summary>
    public const string Origin = "Origin";
    /// <summary>"Pragma": HTTP/1.0's "no-cache".</summary>
    public const string Pragma = "Pragma";
    /// <summary>"Range": the byte ranges asked for ("bytes=0-99").</summary>
    public const string Range = "Range";
    /// <summary>"Referer": the page that linked to the request (spelled as in the RFC).</summary>
    public const string Referer = "Referer";
    /// <summary>"Retry-After": how long to wait before trying again, with 503 or 429.</summary>
    public const string RetryAfter = "Retry-After";
    /// <summary>"Sec-Fetch-Dest": the browser's fetch metadata: what the request is for (document, image…).</summary>
    public const string SecFetchDest = "Sec-Fetch-Dest";
    /// <summary>"Sec-Fetch-Mode": the browser's fetch metadata: navigate, cors, no-cors, websocket.</summary>
    public const string SecFetchMode = "Sec-Fetch-Mode";
    /// <summary>"Sec-Fetch-Site": the browser's fetch metadata: same-origin, same-site, cross-site, none.</summary>
    public const string SecFetchSite = "Sec-Fetch-Site";
    /// <summary>"Sec-WebSocket-Accept": the server's proof in a WebSocket handshake (RFC 6455 §4.2.2).</summary>
    public const string SecWebSocketAccept = "Sec-WebSocket-Accept";
    /// <summary>"Sec-WebSocket-Extensions": WebSocket extensions offered and accepted (permessage-deflate).</summary>
    public const string SecWebSocketExtensions = "Sec-WebSocket-Extensions";
    /// <summary>"Sec-WebSocket-Key": the client's nonce in a WebSocket handshake.</summary>
    public const string SecWebSocketKey = "Sec-WebSocket-Key";
    /// <summary>"Sec-WebSocket-Protocol": WebSocket subprotocols offered and the one chosen.</summary>
    public const string SecWebSocketProtocol = "Sec-WebSocket-Protocol";
    /// <summary>"Sec-WebSocket-Version": the WebSocket version; 13 is the only one.</summary>
    public const string SecWebSocketVersion = "Sec-WebSocket-Version";
    /// <summary>"Server": the server's name (ServerHeader in zones.json).</summary>
    public const string Server = "Server";
    /// <summary>"Set-Cookie": a cookie for the client to store; one field per cookie.</summary>
    public const string SetCookie = "Set-Cookie";
    /// <summary>"Strict-Transport-Security": HSTS: use only HTTPS for this host from now on.</summary>
    public const string StrictTransportSecurity = "Strict-Transport-Security";
    /// <summary>"TE": the transfer codings the client takes ("trailers").</summary>
    public const string TE = "TE";
    /// <summary>"Trailer": the fields that follow a chunked body.</summary>
    public const string Trailer = "Trailer";
    /// <summary>"Transfer-Encoding": the body's framing ("chunked"); the server's to send.</summary>
    public const string TransferEncoding = "Transfer-Encoding";
    /// <summary>"Upgrade": the protocol to switch to ("websocket").</summary>
    public const string Upgrade = "Upgrade";
    /// <summary>"Upgrade-Insecure-Requests": the browser prefers HTTPS ("1").</summary>
    public const string UpgradeInsecureRequests = "Upgrade-Insecure-Requests";
    /// <summary>"User-Agent": the client's name and version.</summary>
    public const string UserAgent = "User-Agent";
    /// <summary>"Vary": the request fields a response depends on, for caches.</summary>
    public const string Vary = "Vary";
    /// <summary>"WWW-Authenticate": the challenge with 401: how to authenticate.</summary>
    public const string WwwAuthenticate = "WWW-Authenticate";

    private static readonly string[] Known =
    [
        Accept, AcceptEncoding, AcceptLanguage, Authorization, CacheControl, Connection, ContentLength,
        ContentType, Cookie, Expect, Host, IfMatch, IfModifiedSince, IfNoneMatch, IfRange, IfUnmodifiedSince,
        KeepAlive, LastEventId, Origin, Pragma, Range, Referer, SecFetchDest, SecFetchMode, SecFetchSite,
        SecWebSocketExtensions, SecWebSocketKey, SecWebSocketProtocol, SecWebSocketVersion, TE, Trailer,
        TransferEncoding, Upgrade, UpgradeInsecureRequests, UserAgent,
        "sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform", "DNT", "Priority", "X-Requested-With", "X-Forwarded-For",
    ];

    // Bucketed by length so a lookup compares against a handful of candidates at most.
    private static readonly string[][] ByLength = BuildByLength();

    private static string[][] BuildByLength()
    {
        var max = Known.Max(k => k.Length);
        var buckets = new List<string>[max + 1];
        foreach (var name in Known) (buckets[name.Length] ??= []).Add(name);
        return buckets.Select(b => b?.ToArray() ?? []).ToArray();
    }

    /// <summary>The canonical string for a header name as it arrived, without allocating for known names.</summary>
    internal static string Intern(ReadOnlySpan<byte> name)
    {
        if (name.Length < ByLength.Length)
        {
            foreach (var candidate in ByLength[name.Length])
            {
                if (Ascii.EqualsIgnoreCase(name, candidate)) return candidate;
            }
        }
        return Encoding.ASCII.GetString(name);
    }
}
