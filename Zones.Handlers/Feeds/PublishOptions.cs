namespace Zones.Handlers.Feeds;

/// <summary>The publish zone's options (the zone's keys in zones.json beside Prefix and Handler).</summary>
public sealed class PublishOptions : IZoneOptionsValidation
{
    /// <summary>The feed to publish to; null: the path after the prefix names it (/feeds/news), creating it if new.</summary>
    public string? Feed { get; set; }

    /// <summary>Accept publishes from other machines too. Off: only loopback clients may publish (anyone else gets 403).</summary>
    public bool AllowRemote { get; set; }

    /// <summary>The largest body accepted as an event's data, in bytes.</summary>
    public int MaxDataSize { get; set; } = 64 * 1024;

    /// <inheritdoc/>
    public IEnumerable<string> Validate(ZoneInfo zone)
    {
        foreach (var problem in FeedZone.ValidateFeedOption(Feed)) yield return problem;
        if (MaxDataSize < 1) yield return "\"MaxDataSize\" must be at least 1";
    }
}
