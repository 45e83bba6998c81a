
namespace Zones.Handlers.Feeds;

/// <summary>
/// Named event feeds inside the process — Wibble's icc, typed. A publisher calls
/// <see cref="Publish"/>; each feed numbers its events 1, 2, 3… and keeps the last few in a
/// bounded replay buffer; subscribers (an SSE stream, a WebSocket, a long-poll) either hold a
/// <see cref="FeedSubscription"/> or ask for what came after an id with <see cref="WaitAsync"/>.
/// A publish never waits for a subscriber: one that falls behind by more than its queue is dropped.
/// </summary>
public interface IFeeds
{
    /// <summary>Publishes an event, creating the feed if it is new, and returns it with its id.</summary>
    /// <exception cref="ArgumentException">The feed or event name is not valid (see <see cref="FeedNames"/>).</exception>
    /// <exception cref="InvalidOperationException">The feed is new and there are already <see cref="FeedsOptions.MaxFeeds"/> feeds.</exception>
    FeedEvent Publish(string feed, string eventName, string data);

    /// <summary>Creates the feed if it does not exist yet (zones that name a feed declare it, so clients can subscribe before the first event).</summary>
    void Declare(string feed);

    bool Exists(string feed);

    /// <summary>The feeds that exist, in no particular order.</summary>
    IReadOnlyCollection<string> Names { get; }

    /// <summary>The id of the feed's latest event; 0 when it has none or does not exist.</summary>
    long LastId(string feed);

    /// <summary>How many subscriptions the feed has now.</summary>
    int SubscriberCount(string feed);

    /// <summary>
    /// Subscribes to a feed (declaring it). With <paramref name="after"/> the buffered events after
    /// that id come first (an id from before a restart — larger than the feed's last — replays the
    /// whole buffer); without it the last <paramref name="replayLast"/> events do. Dispose the
    /// subscription to leave.
    /// </summary>
    FeedSubscription Subscribe(string feed, long? after = null, int replayLast = 0);

    /// <summary>The buffered events after <paramref name="after"/>, at most <paramref name="max"/>, oldest first.</summary>
    IReadOnlyList<FeedEvent> Since(string feed, long after, int max = int.MaxValue);

    /// <summary>
    /// Long-poll (Wibble's <c>icc get</c> with a timeout): the events after <paramref name="after"/>
    /// as soon as there are any, or an empty list when <paramref name="timeout"/> passes first.
    /// </summary>
    Task<IReadOnlyList<FeedEvent>> WaitAsync(string feed, long after, TimeSpan timeout, int max = int.MaxValue, CancellationToken cancellationToken = default);
}
