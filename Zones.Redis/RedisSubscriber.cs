using Zones.Handlers.Feeds;

namespace Zones.Redis;

/// <summary>
/// One local subscriber to a Redis-backed feed: its queue (the <see cref="FeedSubscription"/>
/// its reader holds) and where it stands. It is either <b>live</b> — taking each event off the
/// pub/sub channel that follows the one it has — or <b>catching up</b>, reading the stream from
/// its position (at the start, after a gap, after Redis came back) while live events only note
/// how far the feed has got. <see cref="LocalFeed"/> decides between the two under its lock.
/// </summary>
internal sealed class RedisSubscriber
{
    private readonly CancellationTokenSource _ended = new();

    public RedisSubscriber(string feed, int capacity, FeedPosition? after, int replayLast, Action<RedisSubscriber> leave)
    {
        Subscription = new FeedSubscription(feed, capacity, _ =>
        {
            _ended.Cancel();
            leave(this);
        });
        Position = after;
        ReplayLast = replayLast;
    }

    public FeedSubscription Subscription { get; }

    /// <summary>The position of the last event delivered (or asked to resume from); null for a new subscriber before its first read.</summary>
    public FeedPosition? Position { get; set; }

    /// <summary>For a new subscriber: how many of the latest events it gets first.</summary>
    public int ReplayLast { get; }

    /// <summary>Reading the stream; live events are not delivered meanwhile. Changed under the feed's lock.</summary>
    public bool CatchingUp { get; set; } = true;

    /// <summary>The latest live event seen while catching up: if it lies beyond what the read delivered, read again.</summary>
    public FeedPosition? SeenLive { get; set; }

    /// <summary>Cancelled when the subscriber leaves or is dropped: ends its catch-up.</summary>
    public CancellationToken Ended => _ended.Token;

    /// <summary>A live event: delivered if it is the next one; otherwise the outcome says what the feed must do.</summary>
    public LiveOutcome Offer(FeedEvent e)
    {
        if (CatchingUp)
        {
            SeenLive = e.Position;
            return LiveOutcome.Noted;
        }
        var position = Position!.Value;
        var sameHistory = position.Epoch == e.Position.Epoch;
        if (sameHistory && e.Offset <= position.Offset) return LiveOutcome.Noted; // had it already (read from the stream)
        if (sameHistory && e.Offset == position.Offset + 1)
        {
            if (!Subscription.TryDeliver(e)) return LiveOutcome.Full;
            Position = e.Position;
            return LiveOutcome.Delivered;
        }
        // A gap (a live message lost) or another history (Redis lost its data): the stream says what happened.
        CatchingUp = true;
        SeenLive = e.Position;
        return LiveOutcome.Behind;
    }

    /// <summary>After a read: true when a live event beyond what was delivered was seen meanwhile.</summary>
    public bool SawBeyondPosition() =>
        SeenLive is { } seen && Position is { } position && (seen.Epoch != position.Epoch || seen.Offset > position.Offset);

    /// <summary>The subscriber fell further behind than its queue holds: it is removed and its reader told.</summary>
    public void Drop()
    {
        _ended.Cancel();
        Subscription.Drop();
    }
}

internal enum LiveOutcome
{
    Delivered,
    Noted,
    Full,
    Behind,
}
