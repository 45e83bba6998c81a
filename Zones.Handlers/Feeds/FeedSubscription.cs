using System.Threading.Channels;

namespace Zones.Handlers.Feeds;

/// <summary>
/// One subscriber's place in a feed: a bounded queue of events to read, replayed ones first.
/// If the reader falls behind by more than the queue holds it is dropped: the queue completes
/// with <see cref="FeedSubscriberDroppedException"/> and <see cref="Dropped"/> is cancelled, so a
/// write blocked on a stalled client can be abandoned at once. Dispose to leave the feed.
/// </summary>
public sealed class FeedSubscription : IDisposable
{
    private readonly Channel<FeedEvent> _queue;
    private readonly CancellationTokenSource _dropped = new();
    private readonly Action<FeedSubscription> _leave;
    private int _ended;

    internal FeedSubscription(string feed, int capacity, Action<FeedSubscription> leave)
    {
        Feed = feed;
        _leave = leave;
        _queue = Channel.CreateBounded<FeedEvent>(new BoundedChannelOptions(Math.Max(1, capacity))
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait, // never waited on: the feed only calls TryWrite
        });
    }

    public string Feed { get; }

    /// <summary>The events, in id order.</summary>
    public ChannelReader<FeedEvent> Events => _queue.Reader;

    /// <summary>Cancelled when the subscriber was dropped for falling behind.</summary>
    public CancellationToken Dropped => _dropped.Token;

    public bool WasDropped => _dropped.IsCancellationRequested;

    /// <summary>Reads events until the subscription ends (disposed: the loop ends; dropped: it throws <see cref="FeedSubscriberDroppedException"/>).</summary>
    public IAsyncEnumerable<FeedEvent> ReadAllAsync(CancellationToken cancellationToken = default) => _queue.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Called by the feed under its lock; false means the queue is full.</summary>
    internal bool TryDeliver(FeedEvent e) => _queue.Writer.TryWrite(e);

    /// <summary>Called by the feed after it removed this subscriber for falling behind.</summary>
    internal void Drop()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 1) return;
        _queue.Writer.TryComplete(new FeedSubscriberDroppedException(Feed));
        _dropped.Cancel();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 1) return;
        _leave(this);
        _queue.Writer.TryComplete();
    }
}

/// <summary>The subscriber fell behind by more than its queue holds and was removed from the feed.</summary>
public sealed class FeedSubscriberDroppedException(string feed)
    : Exception($"The subscriber fell too far behind feed \"{feed}\" and was dropped.");
