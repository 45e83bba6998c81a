
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
}

/// <summary>What names feeds and events may have: letters, digits and <c>. _ - ~</c>, 1 to 100 of them — safe in a URL path segment and on an SSE "event:" line.</summary>
public static class FeedNames
{
    public const int MaxLength = 100;

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength) return false;
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '~')) return false;
        }
        return true;
    }

    internal static void Check(string name, string what)
    {
        if (!IsValid(name))
            throw new ArgumentException($"{what} \"{name}\" is not valid: use 1 to {MaxLength} letters, digits, '.', '_', '-' or '~'.", what == "Feed name" ? "feed" : "eventName");
    }
}
