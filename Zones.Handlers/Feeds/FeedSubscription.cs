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

    /// <summary>
    /// For <see cref="IFeeds"/> backends: a subscription to <paramref name="feed"/> whose queue holds
    /// <paramref name="capacity"/> events; <paramref name="leave"/> runs once when the subscriber
    /// disposes it (not when the backend drops it).
    /// </summary>
    public FeedSubscription(string feed, int capacity, Action<FeedSubscription> leave)
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

    /// <summary>The name of the feed subscribed to.</summary>
    public string Feed { get; }

    /// <summary>The events, in id order.</summary>
    public ChannelReader<FeedEvent> Events => _queue.Reader;

    /// <summary>Cancelled when the subscriber was dropped for falling behind.</summary>
    public CancellationToken Dropped => _dropped.Token;

    /// <summary>True once the subscriber was dropped for falling behind (<see cref="Dropped"/> is cancelled).</summary>
    public bool WasDropped => _dropped.IsCancellationRequested;

    /// <summary>Reads events until the subscription ends (disposed: the loop ends; dropped: it throws <see cref="FeedSubscriberDroppedException"/>).</summary>
    public IAsyncEnumerable<FeedEvent> ReadAllAsync(CancellationToken cancellationToken = default) => _queue.Reader.ReadAllAsync(cancellationToken);

    /// <summary>True once the subscriber disposed it or the backend dropped it: nothing more is delivered.</summary>
    public bool IsEnded => Volatile.Read(ref _ended) == 1;

    /// <summary>For backends, live delivery: queues the event without waiting; false means the queue is full (drop the subscriber) or the subscription ended.</summary>
    public bool TryDeliver(FeedEvent e) => _queue.Writer.TryWrite(e);

    /// <summary>
    /// For backends, catching up from history: waits for room in the queue, so a resume is paced
    /// by its reader instead of overflowing it. False when the subscription ended meanwhile.
    /// </summary>
    public async ValueTask<bool> DeliverAsync(FeedEvent e, CancellationToken cancellationToken = default)
    {
        try
        {
            await _queue.Writer.WriteAsync(e, cancellationToken);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    /// <summary>For backends, after they removed this subscriber for falling behind: its reader learns why it ends.</summary>
    public void Drop()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 1) return;
        _queue.Writer.TryComplete(new FeedSubscriberDroppedException(Feed));
        _dropped.Cancel();
    }

    /// <inheritdoc/>
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
