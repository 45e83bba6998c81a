using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Zones.Handlers.Feeds;

namespace Zones.Redis;

/// <summary>
/// One feed as this instance serves it from Redis: its local subscribers, and the feed's pub/sub
/// channel, subscribed only while there are any. Live events go straight into the subscribers'
/// queues (never waiting, so a slow subscriber cannot hold up the channel); a subscriber that is
/// missing something — new, resumed, after a lost message or an outage — reads the stream until
/// it has caught up, paced by its own reader. Every delivery decision is taken under one lock
/// from positions, so an event is delivered once, in order, or the subscriber is told it is gone.
/// </summary>
internal sealed partial class LocalFeed(string name, RedisStore store, RedisConnection connection, RedisFeedKeys keys, FeedsOptions options, ILogger logger)
{
    /// <summary>Events read from the stream per round trip while catching up.</summary>
    private const int CatchUpBatch = 100;

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly Lock _lock = new();
    private readonly List<RedisSubscriber> _subscribers = [];
    private readonly SemaphoreSlim _channelGate = new(1, 1);
    private ChannelMessageQueue? _channel;
    private FeedPosition? _previousHead;

    public string Name => name;

    public int SubscriberCount { get { lock (_lock) return _subscribers.Count; } }

    public FeedSubscription Subscribe(FeedPosition? after, int replayLast)
    {
        var subscriber = new RedisSubscriber(name, options.SubscriberQueueSize, after, replayLast, Leave);
        lock (_lock) _subscribers.Add(subscriber);
        _ = StartAsync(subscriber);
        return subscriber.Subscription;
    }

    /// <summary>The channel first (so nothing published from now on is missed), then the stream from the subscriber's position.</summary>
    private async Task StartAsync(RedisSubscriber subscriber)
    {
        await SyncChannelAsync();
        await CatchUpAsync(subscriber);
    }

    private void Leave(RedisSubscriber subscriber)
    {
        bool last;
        lock (_lock)
        {
            _subscribers.Remove(subscriber);
            last = _subscribers.Count == 0;
        }
        if (last) _ = SyncChannelAsync();
    }

    /// <summary>Subscribes to the feed's channel while there are local subscribers, unsubscribes when there are none; safe to call any time.</summary>
    public async Task SyncChannelAsync()
    {
        await _channelGate.WaitAsync();
        try
        {
            var wanted = SubscriberCount > 0;
            if (wanted && _channel is null)
            {
                var subscriber = (await connection.GetAsync()).GetSubscriber();
                var channel = await subscriber.SubscribeAsync(RedisChannel.Literal(keys.FeedChannel(name)));
                channel.OnMessage(OnMessage);
                _channel = channel;
            }
            else if (!wanted && _channel is { } channel)
            {
                _channel = null;
                await channel.UnsubscribeAsync();
            }
        }
        catch (Exception e) when (RedisFailures.IsUnavailable(e))
        {
            LogChannelFailed(logger, name, e.Message); // the next position check tries again
        }
        finally
        {
            _channelGate.Release();
        }
    }

    private void OnMessage(ChannelMessage message)
    {
        if (FeedMessage.Parse(name, (string?)message.Message ?? "") is not { } e)
        {
            LogBadMessage(logger, name);
            return;
        }
        List<RedisSubscriber>? dropped = null, behind = null;
        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                switch (subscriber.Offer(e))
                {
                    case LiveOutcome.Full: (dropped ??= []).Add(subscriber); break;
                    case LiveOutcome.Behind: (behind ??= []).Add(subscriber); break;
                }
            }
            if (dropped is not null) foreach (var subscriber in dropped) _subscribers.Remove(subscriber);
        }
        // Outside the lock: these run continuations.
        if (dropped is not null) foreach (var subscriber in dropped) subscriber.Drop();
        if (behind is not null) foreach (var subscriber in behind) _ = CatchUpAsync(subscriber);
    }

    /// <summary>
    /// Reads the stream from the subscriber's position until it has everything the feed has, then
    /// goes live. While Redis is away it waits and tries again; it ends when the subscriber leaves.
    /// </summary>
    private async Task CatchUpAsync(RedisSubscriber subscriber)
    {
        try
        {
            while (!subscriber.Ended.IsCancellationRequested)
            {
                lock (_lock) subscriber.SeenLive = null;
                HistorySnapshot snapshot;
                IReadOnlyList<FeedEvent> events;
                try
                {
                    if (subscriber.Position is not { } position)
                    {
                        // New: start from the latest, less the few it asked to see first.
                        var head = await store.ReadAsync(name, FeedPosition.Start, 0, subscriber.Ended);
                        position = new FeedPosition(head.Epoch, Math.Max(0, head.Head - subscriber.ReplayLast));
                        snapshot = await store.ReadAsync(name, position, CatchUpBatch, subscriber.Ended);
                        events = snapshot.Epoch == position.Epoch ? snapshot.Events : FeedHistory.Resume(name, position, snapshot.Epoch, snapshot.Head, snapshot.Events);
                        subscriber.Position = position;
                    }
                    else
                    {
                        snapshot = await store.ReadAsync(name, position, CatchUpBatch, subscriber.Ended);
                        events = FeedHistory.Resume(name, position, snapshot.Epoch, snapshot.Head, snapshot.Events);
                    }
                }
                catch (FeedsUnavailableException)
                {
                    await Task.Delay(RetryDelay, subscriber.Ended);
                    continue;
                }
                foreach (var e in events)
                {
                    if (!await subscriber.Subscription.DeliverAsync(e, subscriber.Ended)) return;
                    subscriber.Position = e.Position;
                }
                // "Everything kept" of a feed with nothing kept: from here on, its position is the feed's head.
                if (subscriber.Position is { IsStart: true }) subscriber.Position = new FeedPosition(snapshot.Epoch, snapshot.Head);
                lock (_lock)
                {
                    if (snapshot.Events.Count >= CatchUpBatch || subscriber.SawBeyondPosition()) continue;
                    subscriber.CatchingUp = false; // from here on, live events are delivered under the lock
                    subscriber.SeenLive = null;
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (subscriber.Ended.IsCancellationRequested)
        {
            // The subscriber left.
        }
        catch (Exception e)
        {
            // A fault of ours, not of Redis or the client: end this subscriber (its client reconnects) rather than leave it stalled.
            LogCatchUpFailed(logger, name, e);
            lock (_lock) _subscribers.Remove(subscriber);
            subscriber.Drop();
        }
    }

    /// <summary>
    /// The safety net under pub/sub: compares each live subscriber with the feed's latest offset,
    /// and makes one read the stream when it is still behind what was stored at the previous check
    /// (a live message lost), or when the feed's history is another one now. With
    /// <paramref name="now"/> (Redis just came back) any subscriber behind the latest catches up.
    /// </summary>
    public async Task CheckPositionsAsync(bool now, CancellationToken cancellationToken)
    {
        await SyncChannelAsync();
        if (SubscriberCount == 0)
        {
            _previousHead = null;
            return;
        }
        HistorySnapshot head;
        try
        {
            head = await store.ReadAsync(name, FeedPosition.Start, 0, cancellationToken);
        }
        catch (FeedsUnavailableException)
        {
            return;
        }
        var behindBy = now ? new FeedPosition(head.Epoch, head.Head) : _previousHead;
        _previousHead = new FeedPosition(head.Epoch, head.Head);
        List<RedisSubscriber>? behind = null;
        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                if (subscriber.CatchingUp || subscriber.Position is not { } position) continue;
                var otherHistory = position.Epoch != head.Epoch;
                var missing = behindBy is { } mark && mark.Epoch == position.Epoch && position.Offset < mark.Offset;
                if (!otherHistory && !missing) continue;
                subscriber.CatchingUp = true;
                (behind ??= []).Add(subscriber);
            }
        }
        if (behind is not null) foreach (var subscriber in behind) _ = CatchUpAsync(subscriber);
    }

    [LoggerMessage(LogLevel.Debug, "Feed \"{Feed}\": subscribing to its Redis channel failed ({Reason}); the next position check tries again")]
    private static partial void LogChannelFailed(ILogger logger, string feed, string reason);

    [LoggerMessage(LogLevel.Error, "Feed \"{Feed}\": catching a subscriber up from the Redis stream failed; the subscriber was ended")]
    private static partial void LogCatchUpFailed(ILogger logger, string feed, Exception exception);

    [LoggerMessage(LogLevel.Warning, "Feed \"{Feed}\": a message on its Redis channel is not an event (another program publishing there?); ignored")]
    private static partial void LogBadMessage(ILogger logger, string feed);
}
