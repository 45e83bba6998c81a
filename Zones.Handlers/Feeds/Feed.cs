
namespace Zones.Handlers.Feeds;

/// <summary>
/// One named feed of the in-process backend: its epoch (chosen when the feed is created, so ids
/// from an earlier run of the process are recognised as such), the offset counter, the replay
/// buffer, the subscribers and a signal for long-pollers. Everything that must be seen in one
/// order (an offset, the buffer, delivery to subscribers) happens under one lock, so a
/// subscriber that joins with a position never misses or repeats an event.
/// </summary>
internal sealed class Feed(string name, int bufferSize, int queueSize)
{
    private readonly Lock _lock = new();
    private readonly Queue<FeedEvent> _buffer = new();
    private readonly List<FeedSubscription> _subscribers = [];
    private readonly string _epoch = FeedPosition.NewEpoch();
    private TaskCompletionSource _published = NewSignal();
    private long _lastOffset;

    public string Name { get; } = name;

    /// <summary>The position of the latest event (offset 0 before the first).</summary>
    public FeedPosition Head { get { lock (_lock) return new FeedPosition(_epoch, _lastOffset); } }

    public int SubscriberCount { get { lock (_lock) return _subscribers.Count; } }

    public FeedEvent Publish(string eventName, string data)
    {
        FeedEvent published;
        TaskCompletionSource signal;
        List<FeedSubscription>? dropped = null;
        lock (_lock)
        {
            published = new FeedEvent(Name, new FeedPosition(_epoch, ++_lastOffset), eventName, data, DateTimeOffset.UtcNow);
            _buffer.Enqueue(published);
            while (_buffer.Count > bufferSize) _buffer.Dequeue();
            for (var i = _subscribers.Count - 1; i >= 0; i--)
            {
                if (_subscribers[i].TryDeliver(published)) continue;
                (dropped ??= []).Add(_subscribers[i]);
                _subscribers.RemoveAt(i);
            }
            signal = _published;
            _published = NewSignal();
        }
        // Outside the lock: these run continuations (a cancelled write, woken long-polls).
        signal.TrySetResult();
        if (dropped is not null) foreach (var subscriber in dropped) subscriber.Drop();
        return published;
    }

    public FeedSubscription Subscribe(FeedPosition? after, int replayLast)
    {
        lock (_lock)
        {
            var replay = after is { } position ? ResumeLocked(position, int.MaxValue) : LastLocked(replayLast);
            var subscription = new FeedSubscription(Name, queueSize + replay.Count, Leave);
            foreach (var e in replay) subscription.TryDeliver(e);
            _subscribers.Add(subscription);
            return subscription;
        }
    }

    /// <summary>The events after <paramref name="after"/> (null: everything kept), at most <paramref name="max"/>, a reset first when some are gone.</summary>
    public IReadOnlyList<FeedEvent> Since(FeedPosition? after, int max)
    {
        lock (_lock) return after is { } position ? ResumeLocked(position, max) : ReadLocked(0, max);
    }

    public async Task<IReadOnlyList<FeedEvent>> WaitAsync(FeedPosition? after, TimeSpan timeout, int max, CancellationToken cancellationToken)
    {
        Task next;
        FeedPosition position;
        lock (_lock)
        {
            position = after ?? new FeedPosition(_epoch, _lastOffset); // no position: what comes next
            var ready = ResumeLocked(position, max);
            if (ready.Count > 0) return ready;
            next = _published.Task;
        }
        try
        {
            await next.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            return [];
        }
        return Since(position, max);
    }

    private void Leave(FeedSubscription subscription)
    {
        lock (_lock) _subscribers.Remove(subscription);
    }

    private IReadOnlyList<FeedEvent> ResumeLocked(FeedPosition after, int max) =>
        FeedHistory.Resume(Name, after, _epoch, _lastOffset, ReadLocked(FeedHistory.ReadFrom(after, _epoch, _lastOffset), max));

    private List<FeedEvent> ReadLocked(long afterOffset, int max)
    {
        var list = new List<FeedEvent>();
        foreach (var e in _buffer)
        {
            if (e.Offset <= afterOffset) continue;
            if (list.Count >= max) break;
            list.Add(e);
        }
        return list;
    }

    private List<FeedEvent> LastLocked(int count) => count <= 0 ? [] : _buffer.Skip(Math.Max(0, _buffer.Count - count)).ToList();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
