namespace Zones;

/// <summary>
/// Size limits and timeouts, bound from "Server:Limits" in zones.json. Defaults are Kestrel's,
/// so a client that works against Kestrel works here.
/// </summary>
public sealed class ServerLimits
{
    /// <summary>Longest request line (method, target, version) in bytes; longer → 414.</summary>
    public int MaxRequestLineSize { get; set; } = 8 * 1024;

    /// <summary>Total bytes of all header lines; more → 431.</summary>
    public int MaxRequestHeadersTotalSize { get; set; } = 32 * 1024;

    /// <summary>Most header fields in one request; more → 431.</summary>
    public int MaxRequestHeaderCount { get; set; } = 100;

    /// <summary>Largest request body in bytes; larger → 413. Null means no limit.</summary>
    public long? MaxRequestBodySize { get; set; } = 30_000_000;

    /// <summary>
    /// Total bytes of chunk extensions (what follows the size on each chunk line) in one chunked
    /// request body; more → 400 and close. Extensions carry nothing Zones uses, and without a
    /// bound a body of one-byte chunks could make the server read kilobytes per byte of data.
    /// </summary>
    public int MaxChunkExtensionSize { get; set; } = 16 * 1024;

    /// <summary>Time allowed to receive a whole request head once its first byte arrived; slower → 408 and close.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an idle kept-alive connection waits for its next request before it is closed.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(130);

    /// <summary>Slowest acceptable request body upload, bytes per second, once the grace period has passed. 0 turns it off.</summary>
    public double MinRequestBodyDataRate { get; set; } = 240;

    public TimeSpan MinRequestBodyDataRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Slowest acceptable reader of a response, bytes per second after the grace period; a slower client is disconnected. 0 turns it off.</summary>
    public double MinResponseDataRate { get; set; } = 240;

    public TimeSpan MinResponseDataRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// An unread request body up to this size is read and discarded after the response so the
    /// connection can be reused; a larger one closes the connection instead.
    /// </summary>
    public long MaxDrainSize { get; set; } = 1024 * 1024;

    /// <summary>Most connections open at once (take-overs included); a connection over the limit is answered 503 and closed. Null means no limit.</summary>
    public int? MaxConnections { get; set; }

    internal IEnumerable<string> Validate()
    {
        if (MaxRequestLineSize < 64) yield return "Limits:MaxRequestLineSize must be at least 64 bytes";
        if (MaxRequestHeadersTotalSize < 64) yield return "Limits:MaxRequestHeadersTotalSize must be at least 64 bytes";
        if (MaxRequestHeaderCount < 1) yield return "Limits:MaxRequestHeaderCount must be at least 1";
        if (MaxRequestBodySize < 0) yield return "Limits:MaxRequestBodySize must not be negative (leave it out for no limit)";
        if (MaxChunkExtensionSize < 0) yield return "Limits:MaxChunkExtensionSize must not be negative (0 refuses every chunk extension)";
        if (RequestHeadersTimeout <= TimeSpan.Zero) yield return "Limits:RequestHeadersTimeout must be positive, e.g. \"00:00:30\"";
        if (KeepAliveTimeout <= TimeSpan.Zero) yield return "Limits:KeepAliveTimeout must be positive, e.g. \"00:02:10\"";
        if (MinRequestBodyDataRate < 0) yield return "Limits:MinRequestBodyDataRate must not be negative (0 turns it off)";
        if (MinResponseDataRate < 0) yield return "Limits:MinResponseDataRate must not be negative (0 turns it off)";
        if (MaxDrainSize < 0) yield return "Limits:MaxDrainSize must not be negative";
        if (MaxConnections < 1) yield return "Limits:MaxConnections must be at least 1 (leave it out for no limit)";
    }
}
