using System.Collections.Concurrent;

namespace Zones.Handlers.Feeds;

/// <summary>The <see cref="IFeeds"/> of one process: feeds live in memory and are gone when it stops (ids start again at 1).</summary>
public sealed class InProcessFeeds : IFeeds
{
    private readonly ConcurrentDictionary<string, Feed> _feeds = new(StringComparer.Ordinal);
    private readonly Lock _create = new();
    private readonly FeedsOptions _options;

    public InProcessFeeds(FeedsOptions? options = null)
    {
        _options = options ?? new FeedsOptions();
        if (_options.BufferSize < 1) throw new ArgumentException("Feeds:BufferSize must be at least 1.", nameof(options));
        if (_options.SubscriberQueueSize < 1) throw new ArgumentException("Feeds:SubscriberQueueSize must be at least 1.", nameof(options));
        foreach (var name in _options.Names) Declare(name);
    }

    public FeedEvent Publish(string feed, string eventName, string data)
    {
        if (string.IsNullOrEmpty(eventName)) eventName = FeedEvent.DefaultName;
        FeedNames.Check(eventName, "Event name");
        return GetOrCreate(feed).Publish(eventName, data ?? "");
    }

    public void Declare(string feed) => GetOrCreate(feed);

    public bool Exists(string feed) => _feeds.ContainsKey(feed);

    public IReadOnlyCollection<string> Names => [.. _feeds.Keys];

    public long LastId(string feed) => _feeds.TryGetValue(feed, out var f) ? f.LastId : 0;

    public int SubscriberCount(string feed) => _feeds.TryGetValue(feed, out var f) ? f.SubscriberCount : 0;

    public FeedSubscription Subscribe(string feed, long? after = null, int replayLast = 0) => GetOrCreate(feed).Subscribe(after, replayLast);

    public IReadOnlyList<FeedEvent> Since(string feed, long after, int max = int.MaxValue) =>
        _feeds.TryGetValue(feed, out var f) ? f.Since(after, max) : [];

    public Task<IReadOnlyList<FeedEvent>> WaitAsync(string feed, long after, TimeSpan timeout, int max = int.MaxValue, CancellationToken cancellationToken = default) =>
        GetOrCreate(feed).WaitAsync(after, timeout, max, cancellationToken);

    private Feed GetOrCreate(string name)
    {
        if (_feeds.TryGetValue(name, out var feed)) return feed;
        FeedNames.Check(name, "Feed name");
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
