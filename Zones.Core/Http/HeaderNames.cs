using System.Text;

namespace Zones.Http;

/// <summary>Common header names. The parser hands out these very strings for known names, so lookups compare by reference first.</summary>
public static class HeaderNames
{
    public const string Accept = "Accept";
    public const string AcceptEncoding = "Accept-Encoding";
    public const string AcceptLanguage = "Accept-Language";
    public const string AcceptRanges = "Accept-Ranges";
    public const string Allow = "Allow";
    public const string Authorization = "Authorization";
    public const string CacheControl = "Cache-Control";
    public const string Connection = "Connection";
    public const string ContentDisposition = "Content-Disposition";
    public const string ContentEncoding = "Content-Encoding";
    public const string ContentLength = "Content-Length";
    public const string ContentRange = "Content-Range";
    public const string ContentType = "Content-Type";
    public const string Cookie = "Cookie";
    public const string Date = "Date";
    public const string ETag = "ETag";
    public const string Expect = "Expect";
    public const string Host = "Host";
    public const string IfMatch = "If-Match";
    public const string IfModifiedSince = "If-Modified-Since";
    public const string IfNoneMatch = "If-None-Match";
    public const string IfRange = "If-Range";
    public const string IfUnmodifiedSince = "If-Unmodified-Since";
    public const string KeepAlive = "Keep-Alive";
    public const string LastEventId = "Last-Event-ID";
    public const string LastModified = "Last-Modified";
    public const string Location = "Location";
    public const string Origin = "Origin";
    public const string Pragma = "Pragma";
    public const string Range = "Range";
    public const string Referer = "Referer";
    public const string RetryAfter = "Retry-After";
    public const string SecFetchDest = "Sec-Fetch-Dest";
    public const string SecFetchMode = "Sec-Fetch-Mode";
    public const string SecFetchSite = "Sec-Fetch-Site";
    public const string SecWebSocketAccept = "Sec-WebSocket-Accept";
    public const string SecWebSocketExtensions = "Sec-WebSocket-Extensions";
    public const string SecWebSocketKey = "Sec-WebSocket-Key";
    public const string SecWebSocketProtocol = "Sec-WebSocket-Protocol";
    public const string SecWebSocketVersion = "Sec-WebSocket-Version";
    public const string Server = "Server";
    public const string SetCookie = "Set-Cookie";
    public const string StrictTransportSecurity = "Strict-Transport-Security";
    public const string TE = "TE";
    public const string Trailer = "Trailer";
    public const string TransferEncoding = "Transfer-Encoding";
    public const string Upgrade = "Upgrade";
    public const string UpgradeInsecureRequests = "Upgrade-Insecure-Requests";
    public const string UserAgent = "User-Agent";
    public const string Vary = "Vary";
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
