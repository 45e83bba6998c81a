using Microsoft.Extensions.Logging;
using Zones.Http;

namespace Zones.Handlers.Feeds;

/// <summary>
/// Server-Sent Events: takes the connection over, answers 200 text/event-stream and streams a
/// feed's events as they are published — replayed ones first when the client reconnects with
/// Last-Event-ID. The body has no length and no chunking: it ends when the connection closes,
/// which is how an event stream ends over HTTP/1.1. The connection watches for the client
/// leaving, so that is noticed at once; a client that stops reading is dropped when its queue
/// fills, without slowing the feed or its other subscribers.
/// </summary>
public sealed partial class EventStreamHandler : IZoneHandler
{
    private readonly EventStreamOptions _options;
    private readonly IFeeds _feeds;
    private readonly ILogger<EventStreamHandler> _logger;

    /// <summary>The eventstream handler of one zone; the registry makes it from zones.json.</summary>
    /// <param name="options">The zone's options, validated.</param>
    /// <param name="feeds">Where the events come from.</param>
    /// <param name="logger">For streams that end with an error.</param>
    public EventStreamHandler(EventStreamOptions options, IFeeds feeds, ILogger<EventStreamHandler> logger)
    {
        _options = options;
        _feeds = feeds;
        _logger = logger;
        if (options.Feed is not null) feeds.Declare(options.Feed);
    }

    /// <inheritdoc/>
    public async ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        var feed = FeedZone.FeedOf(context, _options.Feed);
        if (feed is null) return ZoneResult.Pass;
        if (context.Request.Method != HttpMethods.Get) return ZoneResult.Respond(ZoneResponse.MethodNotAllowed("GET"));
        if (await FeedZone.CheckExistsAsync(_feeds, feed, context.RequestAborted) is { } refusal) return refusal;
        var lastEventId = LastEventId(context.Request);
        return ZoneResult.TakeOver(t => StreamAsync(t, feed, lastEventId));
    }

    /// <summary>
    /// The Last-Event-ID header a reconnecting EventSource sends (or ?lastEventId= for clients that
    /// cannot set headers). One that is not an id this server could have given is ignored: the
    /// client is served as a new one.
    /// </summary>
    private static FeedPosition? LastEventId(HttpRequest request)
    {
        var text = request.Headers[HeaderNames.LastEventId] ?? request.Query["lastEventId"];
        return FeedPosition.TryParse(text, out var position) ? position : null;
    }

    private async Task StreamAsync(TakeOverContext t, string feed, FeedPosition? lastEventId)
    {
        using var subscription = _feeds.Subscribe(feed, lastEventId, _options.ReplayCount);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(t.ConnectionAborted, t.ServerStopping, subscription.Dropped);
        try
        {
            await t.WriteResponseHeadAsync(200, new HttpHeaders
            {
                { HeaderNames.ContentType, "text/event-stream" },
                { HeaderNames.CacheControl, "no-cache" },
                { "X-Accel-Buffering", "no" }, // nginx and friends: do not hold events back
            }, stop.Token);
            t.WatchForDisconnect(); // the client sends nothing more; its leaving cancels ConnectionAborted
            await EventStreamPump.RunAsync(t.Stream, subscription, _options, stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or FeedSubscriberDroppedException or IOException or ObjectDisposedException)
        {
            // The client left, was dropped, or the server is stopping: the stream simply ends.
        }
        if (subscription.WasDropped) LogDropped(_logger, feed, t.RemoteEndPoint?.ToString() ?? "-");
    }

    [LoggerMessage(LogLevel.Warning, "Event stream of feed \"{Feed}\" to {Remote} dropped: the client fell too far behind")]
    private static partial void LogDropped(ILogger logger, string feed, string remote);
}
