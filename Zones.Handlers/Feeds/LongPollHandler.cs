using System.Globalization;
using Zones.Http;

namespace Zones.Handlers.Feeds;

/// <summary>
/// AJAX long-poll, Wibble's <c>icc get</c> with a timeout: <c>GET /poll/news?after=41</c> answers
/// at once with the events after id 41 if there are any, else waits up to Timeout for the next
/// one — 200 with a JSON array <c>[{"id":42,"event":"message","data":"…","time":"…"}]</c>, or
/// 204 when nothing came. Without <c>after</c> it waits for the next event.
/// </summary>
public sealed class LongPollHandler : IZoneHandler
{
    private readonly LongPollOptions _options;
    private readonly IFeeds _feeds;

    public LongPollHandler(LongPollOptions options, IFeeds feeds)
    {
        _options = options;
        _feeds = feeds;
        if (options.Feed is not null) feeds.Declare(options.Feed);
    }

    public async ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        var feed = FeedZone.FeedOf(context, _options.Feed);
        if (feed is null) return ZoneResult.Pass;
        if (context.Request.Method != HttpMethods.Get) return ZoneResult.Respond(ZoneResponse.MethodNotAllowed("GET"));
        if (!_feeds.Exists(feed)) return FeedZone.NoSuchFeed(feed);

        long after;
        var afterText = context.Request.Query["after"];
        if (afterText is null) after = _feeds.LastId(feed);
        else if (!long.TryParse(afterText, NumberStyles.None, CultureInfo.InvariantCulture, out after))
            return ZoneResult.Respond(ZoneResponse.ForStatus(400, "\"after\" must be an event id (a whole number of 0 or more)."));

        // A client that gives up (a closed tab) frees its connection now, not at the timeout; a
        // shutdown ends the wait early with whatever there is (usually nothing: 204), so polls
        // do not hold the server up until their timeout.
        context.WatchForDisconnect();
        IReadOnlyList<FeedEvent> events;
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, context.ServerStopping))
        {
            try { events = await _feeds.WaitAsync(feed, after, _options.Timeout, _options.MaxEvents, wait.Token); }
            catch (OperationCanceledException) when (context.ServerStopping.IsCancellationRequested) { events = []; }
        }
        var response = events.Count == 0 ? new ZoneResponse(204) : ZoneResponse.Bytes(FeedJson.Array(events), "application/json");
        return ZoneResult.Respond(response.WithHeader(HeaderNames.CacheControl, "no-store"));
    }
}
