
namespace Zones.Handlers.Feeds;

/// <summary>
/// Named event feeds — Wibble's icc, typed, and across instances when the backend is shared
/// (Zones.Redis). A publisher calls <see cref="PublishAsync"/>; each feed gives its events
/// positions <c>EPOCH:OFFSET</c> (offsets 1, 2, 3…, see <see cref="FeedPosition"/>) and keeps the
/// last few in a bounded history; subscribers (an SSE stream, a WebSocket, a long-poll) either
/// hold a <see cref="FeedSubscription"/> or ask for what came after a position with
/// <see cref="WaitAsync"/>. A client resuming from a position whose events are no longer all
/// kept gets a <see cref="FeedHistory.ResetEvent"/> first, never a silent gap. A publish never
/// waits for a subscriber: one that falls behind by more than its queue is dropped.
/// </summary>
public interface IFeeds
{
    /// <summary>Publishes an event, creating the feed if it is new, and returns it with its position once the backend has stored it.</summary>
    /// <exception cref="ArgumentException">The feed or event name is not valid (see <see cref="FeedNames"/>).</exception>
    /// <exception cref="InvalidOperationException">The feed is new and there are already <see cref="FeedsOptions.MaxFeeds"/> feeds.</exception>
    /// <exception cref="FeedsUnavailableException">The backend's store cannot be reached; nothing was published.</exception>
    ValueTask<FeedEvent> PublishAsync(string feed, string eventName, string data, CancellationToken cancellationToken = default);

    /// <summary>Makes the feed known here if it is not yet (zones that name a feed declare it, so clients can subscribe before the first event).</summary>
    void Declare(string feed);

    /// <summary>True when the feed was declared here or published to (on any instance sharing the backend).</summary>
    /// <exception cref="FeedsUnavailableException">The feed is not known here and the backend's store cannot be asked.</exception>
    ValueTask<bool> ExistsAsync(string feed, CancellationToken cancellationToken = default);

    /// <summary>How many subscriptions the feed has in this process.</summary>
    int SubscriberCount(string feed);

    /// <summary>
    /// Subscribes to a feed (declaring it). With <paramref name="after"/> the kept events after that
    /// position come first (a reset first when some are gone); without it the last
    /// <paramref name="replayLast"/> events do. Dispose the subscription to leave. It never fails
    /// for a backend that is down: events arrive once it is back.
    /// </summary>
    FeedSubscription Subscribe(string feed, FeedPosition? after = null, int replayLast = 0);

    /// <summary>The kept events after <paramref name="after"/> (null: all of them), at most <paramref name="max"/>, oldest first, a reset first when some are gone.</summary>
    /// <exception cref="FeedsUnavailableException">The backend's store cannot be reached.</exception>
    Task<IReadOnlyList<FeedEvent>> SinceAsync(string feed, FeedPosition? after, int max = int.MaxValue, CancellationToken cancellationToken = default);

    /// <summary>
    /// Long-poll (Wibble's <c>icc get</c> with a timeout): the events after <paramref name="after"/>
    /// (null: after the latest now) as soon as there are any, or an empty list when
    /// <paramref name="timeout"/> passes first.
    /// </summary>
    /// <exception cref="FeedsUnavailableException">The backend's store cannot be reached.</exception>
    Task<IReadOnlyList<FeedEvent>> WaitAsync(string feed, FeedPosition? after, TimeSpan timeout, int max = int.MaxValue, CancellationToken cancellationToken = default);
}

/// <summary>The feeds' shared store (Redis) cannot be reached now; the request may be tried again later.</summary>
public sealed class FeedsUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
