namespace Zones.Http;

/// <summary>
/// The limits parsing enforces as bytes arrive: the size of a request head and of a request body,
/// and how slowly a body may come. Defaults are Kestrel's, so a client that works against Kestrel
/// works here. The server's <c>Server:Limits</c> section binds onto its subclass, ServerLimits.
/// </summary>
public class HttpLimits
{
    /// <summary>Longest request line (method, target, version) in bytes; a longer target → 414, a longer method → 400.</summary>
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

    /// <summary>Slowest acceptable request body upload, bytes per second, once the grace period has passed. 0 turns it off.</summary>
    public double MinRequestBodyDataRate { get; set; } = 240;

    /// <summary>How long a body may take before <see cref="MinRequestBodyDataRate"/> applies.</summary>
    public TimeSpan MinRequestBodyDataRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The problems with these values, each naming its key ("Limits:…") and the fix.</summary>
    public virtual IEnumerable<string> Validate()
    {
        if (MaxRequestLineSize < 64) yield return "Limits:MaxRequestLineSize must be at least 64 bytes";
        if (MaxRequestHeadersTotalSize < 64) yield return "Limits:MaxRequestHeadersTotalSize must be at least 64 bytes";
        if (MaxRequestHeaderCount < 1) yield return "Limits:MaxRequestHeaderCount must be at least 1";
        if (MaxRequestBodySize < 0) yield return "Limits:MaxRequestBodySize must not be negative (leave it out for no limit)";
        if (MaxChunkExtensionSize < 0) yield return "Limits:MaxChunkExtensionSize must not be negative (0 refuses every chunk extension)";
        if (MinRequestBodyDataRate < 0) yield return "Limits:MinRequestBodyDataRate must not be negative (0 turns it off)";
    }
}
