
namespace Zones.Handlers.Feeds;

/// <summary>The "Feeds" section of zones.json.</summary>
public sealed class FeedsOptions
{
    /// <summary>Events each feed keeps for replay (Last-Event-ID, long-poll cursors, ReplayCount).</summary>
    public int BufferSize { get; set; } = 256;

    /// <summary>Events a subscriber may fall behind by before it is dropped; a publish never waits for it.</summary>
    public int SubscriberQueueSize { get; set; } = 256;

    /// <summary>At most this many feeds may exist; publishing to a new one beyond it fails.</summary>
    public int MaxFeeds { get; set; } = 1000;

    /// <summary>Feeds that exist from the start, so clients can subscribe before anything is published.</summary>
    public List<string> Names { get; set; } = [];

    /// <summary>What is wrong with these options, as "Feeds:Key …" sentences; none when they are good.</summary>
    public IEnumerable<string> Validate()
    {
        if (BufferSize < 1) yield return "Feeds:BufferSize must be at least 1.";
        if (SubscriberQueueSize < 1) yield return "Feeds:SubscriberQueueSize must be at least 1.";
        if (MaxFeeds < 1) yield return "Feeds:MaxFeeds must be at least 1.";
        foreach (var name in Names)
        {
            if (!FeedNames.IsValid(name)) yield return $"Feeds:Names: \"{name}\" is not a valid feed name: use 1 to {FeedNames.MaxLength} letters, digits, '.', '_', '-' or '~'.";
        }
    }
}

/// <summary>What names feeds and events may have: letters, digits and <c>. _ - ~</c>, 1 to 100 of them — safe in a URL path segment and on an SSE "event:" line.</summary>
public static class FeedNames
{
    /// <summary>The longest feed name, in characters.</summary>
    public const int MaxLength = 100;

    /// <summary>True when <paramref name="name"/> can name a feed: 1 to <see cref="MaxLength"/> characters of the allowed set.</summary>
    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength) return false;
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '~')) return false;
        }
        return true;
    }

    /// <summary>An event name a publisher may use: a valid name that is not the reserved <see cref="FeedHistory.ResetEvent"/>.</summary>
    public static bool IsPublishable(string? eventName) => IsValid(eventName) && eventName != FeedHistory.ResetEvent;

    /// <summary>Throws <see cref="ArgumentException"/> (parameter "feed") for a name that is not valid.</summary>
    public static void CheckFeedName(string name)
    {
        if (!IsValid(name))
            throw new ArgumentException($"Feed name \"{name}\" is not valid: use 1 to {MaxLength} letters, digits, '.', '_', '-' or '~'.", "feed");
    }

    /// <summary>Throws <see cref="ArgumentException"/> (parameter "eventName") for a name that is not valid or is reserved.</summary>
    public static void CheckEventName(string name)
    {
        if (!IsValid(name))
            throw new ArgumentException($"Event name \"{name}\" is not valid: use 1 to {MaxLength} letters, digits, '.', '_', '-' or '~'.", "eventName");
        if (name == FeedHistory.ResetEvent)
            throw new ArgumentException($"Event name \"{name}\" is reserved: the feeds send it themselves when a client's history is gone.", "eventName");
    }
}
