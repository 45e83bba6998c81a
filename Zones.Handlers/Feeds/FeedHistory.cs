
namespace Zones.Handlers.Feeds;

/// <summary>
/// The resume rule every backend follows, so that nothing is ever silently skipped: a client that
/// comes back with a position gets the events after it when the feed still has all of them;
/// otherwise it first gets a <see cref="ResetEvent"/> saying its history is gone, then what the
/// feed still has. A backend reads a snapshot of its history — its epoch, its latest offset (the
/// head) and the events after <see cref="ReadFrom"/> — and hands it to <see cref="Resume"/>.
/// </summary>
public static class FeedHistory
{
    /// <summary>
    /// The event name of the reset signal. Its id is the position the events after it continue
    /// from (resuming from it never repeats the reset); its data is JSON:
    /// <c>{"reason":"trimmed","requested":"k3f9a2qx:41","resumed":"k3f9a2qx:180"}</c> — "trimmed"
    /// when the events after the requested id were dropped from the bounded history, "restarted"
    /// when the id belongs to another history (the feeds restarted, Redis was wiped, or the id
    /// was a plain number).
    /// </summary>
    public const string ResetEvent = "zones-reset";

    /// <summary>True when <paramref name="after"/> is a position in the history of <paramref name="epoch"/> whose latest offset is <paramref name="head"/>.</summary>
    public static bool Contains(FeedPosition after, string epoch, long head) =>
        after.Epoch == epoch && after.Offset <= head;

    /// <summary>The offset after which a client at <paramref name="after"/> reads: its own in this history, else 0 (everything kept).</summary>
    public static long ReadFrom(FeedPosition after, string epoch, long head) =>
        Contains(after, epoch, head) ? after.Offset : 0; // FeedPosition.Start reads from 0 too

    /// <summary>
    /// What a client at <paramref name="after"/> gets, given the events <paramref name="read"/>
    /// (oldest first) after <see cref="ReadFrom"/> in a history of <paramref name="epoch"/> whose
    /// latest offset is <paramref name="head"/>: those events, preceded by a reset event when some
    /// it had not seen are gone.
    /// </summary>
    public static IReadOnlyList<FeedEvent> Resume(string feed, FeedPosition after, string epoch, long head, IReadOnlyList<FeedEvent> read)
    {
        string reason;
        if (after.IsStart) return read; // asked for whatever is kept: nothing to tell
        if (!Contains(after, epoch, head)) reason = "restarted";
        else if (read.Count > 0 ? read[0].Offset > after.Offset + 1 : head > after.Offset) reason = "trimmed";
        else return read;
        var resumed = new FeedPosition(epoch, read.Count > 0 ? read[0].Offset - 1 : head);
        return [Reset(feed, reason, after, resumed), .. read];
    }

    /// <summary>The reset event for a client that asked for <paramref name="requested"/> and continues after <paramref name="resumed"/>.</summary>
    public static FeedEvent Reset(string feed, string reason, FeedPosition requested, FeedPosition resumed) =>
        // Positions come from TryParse or a backend (letters, digits, ':'), the reason is ours: nothing to escape.
        new(feed, resumed, ResetEvent, $"{{\"reason\":\"{reason}\",\"requested\":\"{requested}\",\"resumed\":\"{resumed}\"}}", DateTimeOffset.UtcNow);
}
