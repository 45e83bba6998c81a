using System.Globalization;
using System.Text.Json;
using Zones.Http;

namespace Zones.Handlers.Feeds;

public sealed class LongPollOptions : IZoneOptionsValidation
{
    /// <summary>The feed to poll; null: the path after the prefix names an existing feed (/poll/news).</summary>
    public string? Feed { get; set; }

    /// <summary>How long a poll waits for an event before answering 204.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>At most this many events per answer; the client polls again from the last id it got.</summary>
    public int MaxEvents { get; set; } = 100;

    public IEnumerable<string> Validate(ZoneInfo zone)
    {
        foreach (var problem in FeedZone.ValidateFeedOption(Feed)) yield return problem;
        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(10)) yield return "\"Timeout\" must be above 0 and at most 00:10:00, e.g. \"00:00:25\"";
        if (MaxEvents < 1) yield return "\"MaxEvents\" must be at least 1";
    }
}

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

        // A shutdown ends the wait early with whatever there is (usually nothing: 204), so polls
        // do not hold the server up until their timeout.
        IReadOnlyList<FeedEvent> events;
        // A client that gives up (a closed tab) frees its connection now, not at the timeout.
        context.WatchForDisconnect();
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, context.ServerStopping))
        {
            try { events = await _feeds.WaitAsync(feed, after, _options.Timeout, _options.MaxEvents, wait.Token); }
            catch (OperationCanceledException) when (context.ServerStopping.IsCancellationRequested) { events = []; }
        }
        if (events.Count == 0) return ZoneResult.Respond(new ZoneResponse(204).WithHeader(HeaderNames.CacheControl, "no-store"));
        return ZoneResult.Respond(ZoneResponse.Bytes(ToJson(events), "application/json").WithHeader(HeaderNames.CacheControl, "no-store"));
    }

    internal static byte[] ToJson(IReadOnlyList<FeedEvent> events)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var e in events) Write(json, e);
            json.WriteEndArray();
        }
        return buffer.ToArray();
    }

    /// <summary>One event as the JSON object long-poll answers with (the WebSocket feed endpoint sends the same).</summary>
    internal static byte[] ToJson(FeedEvent e)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer)) Write(json, e);
        return buffer.ToArray();
    }

    private static void Write(Utf8JsonWriter json, FeedEvent e)
    {
        json.WriteStartObject();
        json.WriteNumber("id", e.Id);
        json.WriteString("event", e.Name);
        json.WriteString("data", e.Data);
        json.WriteString("time", e.Time);
        json.WriteEndObject();
    }
}
