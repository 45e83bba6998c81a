
namespace Zones.Handlers.Feeds;

/// <summary>
/// One named feed: the id counter, the replay buffer, the subscribers and a signal for
/// long-pollers. Everything that must be seen in one order (an id, the buffer, delivery to
/// subscribers) happens under one lock, so a subscriber that joins with a cursor never misses
/// or repeats an event.
/// </summary>
internal sealed class Feed(string name, int bufferSize, int queueSize)
{
    private readonly Lock _lock = new();
    private readonly Queue<FeedEvent> _buffer = new();
    private readonly List<FeedSubscription> _subscribers = [];
    private TaskCompletionSource _published = NewSignal();
    private long _lastId;

    public string Name { get; } = name;

    public long LastId { get { lock (_lock) return _lastId; } }

    public int SubscriberCount { get { lock (_lock) return _subscribers.Count; } }

    public FeedEvent Publish(string eventName, string data)
    {
        FeedEvent published;
        TaskCompletionSource signal;
        List<FeedSubscription>? dropped = null;
        lock (_lock)
        {
            published = new FeedEvent(Name, ++_lastId, eventName, data, DateTimeOffset.UtcNow);
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

    public FeedSubscription Subscribe(long? after, int replayLast)
    {
        lock (_lock)
        {
            var replay = after is { } cursor ? SinceLocked(cursor, int.MaxValue) : LastLocked(replayLast);
            var subscription = new FeedSubscription(Name, queueSize + replay.Count, Leave);
            foreach (var e in replay) subscription.TryDeliver(e);
            _subscribers.Add(subscription);
            return subscription;
        }
    }

    public IReadOnlyList<FeedEvent> Since(long after, int max)
    {
        lock (_lock) return SinceLocked(after, max);
    }

    public async Task<IReadOnlyList<FeedEvent>> WaitAsync(long after, TimeSpan timeout, int max, CancellationToken cancellationToken)
    {
        Task next;
        lock (_lock)
        {
            var ready = SinceLocked(after, max);
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
        return Since(after, max);
    }

    private void Leave(FeedSubscription subscription)
    {
        lock (_lock) _subscribers.Remove(subscription);
    }

    private List<FeedEvent> SinceLocked(long after, int max)
    {
        // An id larger than any given out comes from before a restart: everything buffered is new to that client.
        if (after > _lastId) after = 0;
        var list = new List<FeedEvent>();
        foreach (var e in _buffer)
        {
            if (e.Id <= after) continue;
            if (list.Count >= max) break;
            list.Add(e);
        }
        return list;
    }

    private List<FeedEvent> LastLocked(int count) => count <= 0 ? [] : _buffer.Skip(Math.Max(0, _buffer.Count - count)).ToList();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
