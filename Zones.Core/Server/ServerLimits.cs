using Zones.Http;

namespace Zones.Server;

/// <summary>
/// Size limits and timeouts, bound from "Server:Limits" in zones.json: the parsing limits of
/// <see cref="HttpLimits"/> plus what the connection enforces — timeouts, the response data rate,
/// draining and the number of connections. Defaults are Kestrel's.
/// </summary>
public sealed class ServerLimits : HttpLimits
{
    /// <summary>Time allowed to receive a whole request head once its first byte arrived; slower → 408 and close.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an idle kept-alive connection waits for its next request before it is closed.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(130);

    /// <summary>
    /// Slowest acceptable reader of a response, bytes per second after the grace period: while a
    /// write waits, the client must take at least this much of it; a slower client is
    /// disconnected. 0 turns it off.
    /// </summary>
    public double MinResponseDataRate { get; set; } = 240;

    /// <summary>How long a waiting write may make no progress before <see cref="MinResponseDataRate"/> applies.</summary>
    public TimeSpan MinResponseDataRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// An unread request body up to this size is read and discarded after the response so the
    /// connection can be reused; a larger one closes the connection instead.
    /// </summary>
    public long MaxDrainSize { get; set; } = 1024 * 1024;

    /// <summary>Most connections open at once (take-overs included); a connection over the limit is answered 503 and closed. Null means what the file descriptors leave room for (ZoneServer.ConnectionLimit).</summary>
    public int? MaxConnections { get; set; }

    /// <inheritdoc/>
    public override IEnumerable<string> Validate()
    {
        foreach (var problem in base.Validate()) yield return problem;
        if (RequestHeadersTimeout <= TimeSpan.Zero) yield return "Limits:RequestHeadersTimeout must be positive, e.g. \"00:00:30\"";
        if (KeepAliveTimeout <= TimeSpan.Zero) yield return "Limits:KeepAliveTimeout must be positive, e.g. \"00:02:10\"";
        if (MinResponseDataRate < 0) yield return "Limits:MinResponseDataRate must not be negative (0 turns it off)";
        if (MaxDrainSize < 0) yield return "Limits:MaxDrainSize must not be negative";
        if (MaxConnections < 1) yield return "Limits:MaxConnections must be at least 1 (leave it out for the limit the file descriptors leave room for)";
    }
}
