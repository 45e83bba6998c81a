namespace Zones.Handlers.Feeds;

/// <summary>The eventstream zone's options (the zone's keys in zones.json beside Prefix and Handler).</summary>
public sealed class EventStreamOptions : IZoneOptionsValidation
{
    /// <summary>The feed to stream; null: the path after the prefix names an existing feed (/events/news).</summary>
    public string? Feed { get; set; }

    /// <summary>Seconds between comment lines sent when nothing else was, so proxies keep the stream open; 0 turns them off.</summary>
    public int HeartbeatSeconds { get; set; } = 15;

    /// <summary>Events a new client (one without Last-Event-ID) gets from the feed's buffer before live ones.</summary>
    public int ReplayCount { get; set; }

    /// <summary>The reconnection delay the client is told to use ("retry:"), in milliseconds.</summary>
    public int RetryMilliseconds { get; set; } = 3000;

    /// <inheritdoc/>
    public IEnumerable<string> Validate(ZoneInfo zone)
    {
        foreach (var problem in FeedZone.ValidateFeedOption(Feed)) yield return problem;
        if (HeartbeatSeconds < 0) yield return "\"HeartbeatSeconds\" must be 0 (off) or more";
        if (ReplayCount < 0) yield return "\"ReplayCount\" must be 0 or more";
        if (RetryMilliseconds < 0) yield return "\"RetryMilliseconds\" must be 0 or more";
    }
}
