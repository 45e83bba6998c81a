using Zones.Http;

namespace Zones.Handlers.Feeds;

/// <summary>
/// AJAX long-poll, Wibble's <c>icc get</c> with a timeout: <c>GET /poll/news?after=41</c> answers
/// at once with the events after that id if there are any, else waits up to Timeout for the next
/// one — 200 with a JSON array <c>[{"id":"k3f9a2qx:42","event":"message","data":"…","time":"…"}]</c>,
/// or 204 when nothing came. Without <c>after</c> it waits for the next event. An id whose events
/// are no longer all kept answers a zones-reset event first (see <see cref="FeedHistory"/>).
/// </summary>
public sealed class LongPollHandler : IZoneHandler
{
    private readonly LongPollOptions _options;
    private readonly IFeeds _feeds;

    /// <summary>The longpoll handler of one zone; the registry makes it from zones.json.</summary>
    /// <param name="options">The zone's options, validated.</param>
    /// <param name="feeds">Where the events come from.</param>
    public LongPollHandler(LongPollOptions options, IFeeds feeds)
    {
        _options = options;
        _feeds = feeds;
        if (options.Feed is not null) feeds.Declare(options.Feed);
    }

    /// <inheritdoc/>
    public async ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        var feed = FeedZone.FeedOf(context, _options.Feed);
        if (feed is null) return ZoneResult.Pass;
        if (context.Request.Method != HttpMethods.Get) return ZoneResult.Respond(ZoneResponse.MethodNotAllowed("GET"));
        if (await FeedZone.CheckExistsAsync(_feeds, feed, context.RequestAborted) is { } refusal) return refusal;

        FeedPosition? after = null;
        if (context.Request.Query["after"] is { } afterText)
        {
            if (!FeedPosition.TryParse(afterText, out var position))
                return ZoneResult.Respond(ZoneResponse.ForStatus(400, "\"after\" must be an event id as the feed gave it (EPOCH:OFFSET, e.g. k3f9a2qx:41)."));
            after = position;
        }

        // A client that gives up (a closed tab) frees its connection now, not at the timeout; a
        // shutdown ends the wait early with whatever there is (usually nothing: 204), so polls
        // do not hold the server up until their timeout.
        context.WatchForDisconnect();
        IReadOnlyList<FeedEvent> events;
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, context.ServerStopping))
        {
            try { events = await _feeds.WaitAsync(feed, after, _options.Timeout, _options.MaxEvents, wait.Token); }
            catch (OperationCanceledException) when (context.ServerStopping.IsCancellationRequested) { events = []; }
            catch (FeedsUnavailableException e) { return FeedZone.Unavailable(e); }
        }
        var response = events.Count == 0 ? new ZoneResponse(204) : ZoneResponse.Bytes(FeedJson.Array(events), "application/json");
        return ZoneResult.Respond(response.WithHeader(HeaderNames.CacheControl, "no-store"));
    }
}
