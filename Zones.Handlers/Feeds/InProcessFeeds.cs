using System.Collections.Concurrent;

namespace Zones.Handlers.Feeds;

/// <summary>
/// The <see cref="IFeeds"/> of one process: feeds live in memory and are gone when it stops. Each
/// feed picks a new epoch when it is created, so an id a client kept from an earlier run gets the
/// reset event, not the new run's events under old numbers.
/// </summary>
public sealed class InProcessFeeds : IFeeds
{
    private readonly ConcurrentDictionary<string, Feed> _feeds = new(StringComparer.Ordinal);
    private readonly Lock _create = new();
    private readonly FeedsOptions _options;

    /// <summary>Feeds held in this process's memory; their history is lost on restart (a new epoch tells clients so). <paramref name="options"/>: the defaults when null.</summary>
    public InProcessFeeds(FeedsOptions? options = null)
    {
        _options = options ?? new FeedsOptions();
        foreach (var problem in _options.Validate()) throw new ArgumentException(problem, nameof(options));
        foreach (var name in _options.Names) Declare(name);
    }

    /// <summary>The feeds that exist, in no particular order.</summary>
    public IReadOnlyCollection<string> Names => [.. _feeds.Keys];

    /// <summary>Publishes at once; the returned task is already complete.</summary>
    public ValueTask<FeedEvent> PublishAsync(string feed, string eventName, string data, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Publish(feed, eventName, data));

    /// <summary>The synchronous publish the in-process feeds can offer (nothing to wait for).</summary>
    public FeedEvent Publish(string feed, string eventName, string data)
    {
        if (string.IsNullOrEmpty(eventName)) eventName = FeedEvent.DefaultName;
        FeedNames.CheckEventName(eventName);
        return GetOrCreate(feed).Publish(eventName, data ?? "");
    }

    /// <inheritdoc/>
    public void Declare(string feed) => GetOrCreate(feed);

    /// <inheritdoc/>
    public ValueTask<bool> ExistsAsync(string feed, CancellationToken cancellationToken = default) => ValueTask.FromResult(_feeds.ContainsKey(feed));

    /// <summary>The position of the feed's latest event (offset 0 before the first); null for a feed that does not exist.</summary>
    public FeedPosition? Head(string feed) => _feeds.TryGetValue(feed, out var f) ? f.Head : null;

    /// <inheritdoc/>
    public int SubscriberCount(string feed) => _feeds.TryGetValue(feed, out var f) ? f.SubscriberCount : 0;

    /// <inheritdoc/>
    public FeedSubscription Subscribe(string feed, FeedPosition? after = null, int replayLast = 0) => GetOrCreate(feed).Subscribe(after, replayLast);

    /// <summary>The synchronous form of <see cref="SinceAsync"/>.</summary>
    public IReadOnlyList<FeedEvent> Since(string feed, FeedPosition? after = null, int max = int.MaxValue) =>
        _feeds.TryGetValue(feed, out var f) ? f.Since(after, max) : [];

    /// <inheritdoc/>
    public Task<IReadOnlyList<FeedEvent>> SinceAsync(string feed, FeedPosition? after, int max = int.MaxValue, CancellationToken cancellationToken = default) =>
        Task.FromResult(Since(feed, after, max));

    /// <inheritdoc/>
    public Task<IReadOnlyList<FeedEvent>> WaitAsync(string feed, FeedPosition? after, TimeSpan timeout, int max = int.MaxValue, CancellationToken cancellationToken = default) =>
        GetOrCreate(feed).WaitAsync(after, timeout, max, cancellationToken);

    private Feed GetOrCreate(string name)
    {
        if (_feeds.TryGetValue(name, out var feed)) return feed;
        FeedNames.CheckFeedName(name);
        lock (_create)
        {
            if (_feeds.TryGetValue(name, out feed)) return feed;
            if (_feeds.Count >= _options.MaxFeeds)
                throw new InvalidOperationException($"There are already {_options.MaxFeeds} feeds (Feeds:MaxFeeds); feed \"{name}\" was not created.");
            feed = new Feed(name, _options.BufferSize, _options.SubscriberQueueSize);
            _feeds[name] = feed;
            return feed;
        }
    }
}
