using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Zones.Handlers.Feeds;

namespace Zones.Redis;

/// <summary>
/// <see cref="IFeeds"/> shared by every instance that points at the same Redis (Centrifugo's
/// design): per feed a stream holding the last <see cref="FeedsOptions.BufferSize"/> events and
/// an epoch/offset pair, written by one Lua script per publish so positions are given out
/// atomically across instances; live fan-out over pub/sub, each instance subscribing only to the
/// feeds it has subscribers for; resumes read from the stream. A subscriber survives Redis going
/// away and coming back: it gets what it missed from the stream, or the reset event when that is
/// gone too (Redis restarted empty).
/// </summary>
public sealed partial class RedisFeeds : IFeeds, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, LocalFeed> _local = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _known = new(StringComparer.Ordinal);
    private readonly Lock _create = new();
    private readonly FeedsOptions _options;
    private readonly RedisStore _store;
    private readonly RedisConnection _connection;
    private readonly RedisFeedKeys _keys;
    private readonly ILogger _logger;
    private readonly PeriodicWork _checking;
    private int _checkNow;

    /// <summary>Feeds kept in Redis; made by AddZonesRedis.</summary>
    /// <param name="options">The feeds' limits (BufferSize, SubscriberQueueSize, MaxFeeds, Names), as for the in-process feeds.</param>
    /// <param name="redis">The key prefix and how often feed positions are checked against Redis.</param>
    /// <param name="connection">The process's one Redis connection.</param>
    /// <param name="logger">For a position check that failed.</param>
    public RedisFeeds(FeedsOptions options, RedisFeedsOptions redis, RedisConnection connection, ILogger<RedisFeeds> logger)
    {
        _options = options;
        foreach (var problem in options.Validate().Concat(redis.Validate())) throw new ArgumentException(problem, nameof(options));
        _connection = connection;
        _keys = new RedisFeedKeys(redis.Prefix);
        _store = new RedisStore(connection, _keys, options);
        _logger = logger;
        foreach (var name in options.Names) Declare(name);
        connection.Restored += () => Volatile.Write(ref _checkNow, 1);
        _checking = new PeriodicWork(redis.PositionCheckInterval, CheckPositionsAsync);
    }

    /// <inheritdoc/>
    public async ValueTask<FeedEvent> PublishAsync(string feed, string eventName, string data, CancellationToken cancellationToken = default)
    {
        FeedNames.CheckFeedName(feed);
        if (string.IsNullOrEmpty(eventName)) eventName = FeedEvent.DefaultName;
        FeedNames.CheckEventName(eventName);
        var published = await _store.PublishAsync(feed, eventName, data ?? "", cancellationToken);
        _known.TryAdd(feed, 0);
        return published;
    }

    /// <inheritdoc/>
    public void Declare(string feed) => GetOrCreate(feed);

    /// <inheritdoc/>
    public async ValueTask<bool> ExistsAsync(string feed, CancellationToken cancellationToken = default)
    {
        if (_known.ContainsKey(feed)) return true;
        if (!FeedNames.IsValid(feed) || !await _store.ExistsAsync(feed, cancellationToken)) return false;
        _known.TryAdd(feed, 0); // published on another instance; feeds are never deleted
        return true;
    }

    /// <inheritdoc/>
    public int SubscriberCount(string feed) => _local.TryGetValue(feed, out var f) ? f.SubscriberCount : 0;

    /// <inheritdoc/>
    public FeedSubscription Subscribe(string feed, FeedPosition? after = null, int replayLast = 0) => GetOrCreate(feed).Subscribe(after, replayLast);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<FeedEvent>> SinceAsync(string feed, FeedPosition? after, int max = int.MaxValue, CancellationToken cancellationToken = default)
    {
        var from = after ?? FeedPosition.Start;
        var snapshot = await _store.ReadAsync(feed, from, max, cancellationToken);
        return FeedHistory.Resume(feed, from, snapshot.Epoch, snapshot.Head, snapshot.Events);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<FeedEvent>> WaitAsync(string feed, FeedPosition? after, TimeSpan timeout, int max = int.MaxValue, CancellationToken cancellationToken = default)
    {
        // What is there already answers at once, in one read.
        var snapshot = await _store.ReadAsync(feed, after ?? FeedPosition.Start, after is null ? 0 : max, cancellationToken);
        FeedPosition from;
        if (after is { } position)
        {
            var ready = FeedHistory.Resume(feed, position, snapshot.Epoch, snapshot.Head, snapshot.Events);
            if (ready.Count > 0) return ready;
            from = position;
        }
        else from = new FeedPosition(snapshot.Epoch, snapshot.Head);

        // Else a short-lived subscription from there: it sees the next event however it comes (live, or read after a gap).
        using var subscription = Subscribe(feed, from);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            if (!await subscription.Events.WaitToReadAsync(wait.Token)) return [];
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return []; // the timeout
        }
        catch (FeedSubscriberDroppedException)
        {
            return [];
        }
        var events = new List<FeedEvent>();
        while (events.Count < max && subscription.Events.TryRead(out var e)) events.Add(e);
        return events;
    }

    private LocalFeed GetOrCreate(string name)
    {
        if (_local.TryGetValue(name, out var feed)) return feed;
        FeedNames.CheckFeedName(name);
        lock (_create)
        {
            if (_local.TryGetValue(name, out feed)) return feed;
            if (_local.Count >= _options.MaxFeeds)
                throw new InvalidOperationException($"There are already {_options.MaxFeeds} feeds (Feeds:MaxFeeds); feed \"{name}\" was not created.");
            feed = new LocalFeed(name, _store, _connection, _keys, _options, _logger);
            _local[name] = feed;
            _known.TryAdd(name, 0);
            return feed;
        }
    }

    /// <summary>One round of the position checks of every feed with local subscribers, one round trip each (every interval; at once after a reconnect).</summary>
    private async Task CheckPositionsAsync(CancellationToken stopping)
    {
        var now = Interlocked.Exchange(ref _checkNow, 0) == 1;
        foreach (var feed in _local.Values)
        {
            try
            {
                await feed.CheckPositionsAsync(now, stopping);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogCheckFailed(_logger, feed.Name, e);
            }
        }
    }

    /// <summary>Stops the periodic position check; safe to call twice. The connection is shared and stays open.</summary>
    public ValueTask DisposeAsync() => _checking.DisposeAsync();

    [LoggerMessage(LogLevel.Error, "Feed \"{Feed}\": the position check failed")]
    private static partial void LogCheckFailed(ILogger logger, string feed, Exception exception);
}
