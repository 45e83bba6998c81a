namespace Zones.Handlers.Feeds;

/// <summary>The longpoll zone's options (the zone's keys in zones.json beside Prefix and Handler).</summary>
public sealed class LongPollOptions : IZoneOptionsValidation
{
    /// <summary>The feed to poll; null: the path after the prefix names an existing feed (/poll/news).</summary>
    public string? Feed { get; set; }

    /// <summary>How long a poll waits for an event before answering 204.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>At most this many events per answer; the client polls again from the last id it got.</summary>
    public int MaxEvents { get; set; } = 100;

    /// <inheritdoc/>
    public IEnumerable<string> Validate(ZoneInfo zone)
    {
        foreach (var problem in FeedZone.ValidateFeedOption(Feed)) yield return problem;
        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(10)) yield return "\"Timeout\" must be above 0 and at most 00:10:00, e.g. \"00:00:25\"";
        if (MaxEvents < 1) yield return "\"MaxEvents\" must be at least 1";
    }
}
