using System.Buffers;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Zones.Http;

namespace Zones.Handlers.Feeds;

public sealed class EventStreamOptions : IZoneOptionsValidation
{
    /// <summary>The feed to stream; null: the path after the prefix names an existing feed (/events/news).</summary>
    public string? Feed { get; set; }

    /// <summary>Seconds between comment lines sent when nothing else was, so proxies keep the stream open; 0 turns them off.</summary>
    public int HeartbeatSeconds { get; set; } = 15;

    /// <summary>Events a new client (one without Last-Event-ID) gets from the feed's buffer before live ones.</summary>
    public int ReplayCount { get; set; }

    /// <summary>The reconnection delay the client is told to use ("retry:"), in milliseconds.</summary>
    public int RetryMilliseconds { get; set; } = 3000;

    public IEnumerable<string> Validate(ZoneInfo zone)
    {
        foreach (var problem in FeedZone.ValidateFeedOption(Feed)) yield return problem;
        if (HeartbeatSeconds < 0) yield return "\"HeartbeatSeconds\" must be 0 (off) or more";
        if (ReplayCount < 0) yield return "\"ReplayCount\" must be 0 or more";
        if (RetryMilliseconds < 0) yield return "\"RetryMilliseconds\" must be 0 or more";
    }
}

/// <summary>
/// Server-Sent Events: takes the connection over, answers 200 text/event-stream and streams a
/// feed's events as they are published — replayed ones first when the client reconnects with
/// Last-Event-ID. The body has no length and no chunking: it ends when the connection closes,
/// which is how an event stream ends over HTTP/1.1. A read stays pending on the connection so a
/// client that leaves is noticed at once; a client that stops reading is dropped when its queue
/// fills, without slowing the feed or its other subscribers.
/// </summary>
public sealed partial class EventStreamHandler : IZoneHandler
{
    private readonly EventStreamOptions _options;
    private readonly IFeeds _feeds;
    private readonly ILogger<EventStreamHandler> _logger;

    public EventStreamHandler(EventStreamOptions options, IFeeds feeds, ILogger<EventStreamHandler> logger)
    {
        _options = options;
        _feeds = feeds;
        _logger = logger;
        if (options.Feed is not null) feeds.Declare(options.Feed);
    }

    public ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        var feed = FeedZone.FeedOf(context, _options.Feed);
        if (feed is null) return ValueTask.FromResult(ZoneResult.Pass);
        if (context.Request.Method != HttpMethods.Get) return ValueTask.FromResult(ZoneResult.Respond(ZoneResponse.MethodNotAllowed("GET")));
        if (!_feeds.Exists(feed)) return ValueTask.FromResult(FeedZone.NoSuchFeed(feed));
        var lastEventId = LastEventId(context.Request);
        return ValueTask.FromResult(ZoneResult.TakeOver(t => StreamAsync(t, feed, lastEventId)));
    }

    /// <summary>The Last-Event-ID header a reconnecting EventSource sends (or ?lastEventId= for clients that cannot set headers).</summary>
    private static long? LastEventId(HttpRequest request)
    {
        var text = request.Headers[HeaderNames.LastEventId] ?? request.Query["lastEventId"];
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    private async Task StreamAsync(TakeOverContext t, string feed, long? lastEventId)
    {
        using var subscription = _feeds.Subscribe(feed, lastEventId, _options.ReplayCount);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(t.ConnectionAborted, t.ServerStopping, subscription.Dropped);
        await t.WriteResponseHeadAsync(200, new HttpHeaders
        {
            { HeaderNames.ContentType, "text/event-stream" },
            { HeaderNames.CacheControl, "no-cache" },
            { "X-Accel-Buffering", "no" }, // nginx and friends: do not hold events back
        }, stop.Token);

        var watcher = WatchForCloseAsync(t.Stream, stop);
        try
        {
            await PumpAsync(t.Stream, subscription, stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or FeedSubscriberDroppedException or IOException or ObjectDisposedException)
        {
            // The client left, was dropped, or the server is stopping: the stream simply ends.
        }
        finally
        {
            await stop.CancelAsync();
            await watcher;
        }
        if (subscription.WasDropped) LogDropped(_logger, feed, t.RemoteEndPoint?.ToString() ?? "-");
    }

    private async Task PumpAsync(Stream stream, FeedSubscription subscription, CancellationToken cancellationToken)
    {
        var output = new ArrayBufferWriter<byte>(4096);
        ServerSentEvents.WriteRetry(output, _options.RetryMilliseconds);
        var events = subscription.Events;
        using var heartbeat = _options.HeartbeatSeconds > 0 ? new PeriodicTimer(TimeSpan.FromSeconds(_options.HeartbeatSeconds)) : null;
        Task<bool>? ready = null;
        Task<bool>? tick = null;
        var quiet = true; // nothing written since the last heartbeat tick
        while (true)
        {
            // Everything already queued goes out in one write.
            while (output.WrittenCount < 64 * 1024 && events.TryRead(out var e)) ServerSentEvents.WriteEvent(output, e);
            if (output.WrittenCount > 0)
            {
                await stream.WriteAsync(output.WrittenMemory, cancellationToken);
                output.ResetWrittenCount();
                quiet = false;
                continue;
            }

            if (heartbeat is null)
            {
                // One wait at a time: awaited directly, no Task to allocate.
                if (!await events.WaitToReadAsync(cancellationToken)) return; // the subscription was disposed
                continue;
            }
            ready ??= events.WaitToReadAsync(cancellationToken).AsTask();
            // Both waits are kept across turns, so a heartbeat never leaves a read behind or the other way round.
            tick ??= heartbeat.WaitForNextTickAsync(cancellationToken).AsTask();
            if (await Task.WhenAny(ready, tick) == ready)
            {
                if (!await ready) return; // the subscription was disposed
                ready = null;
                continue;
            }
            await tick;
            tick = null;
            if (quiet) ServerSentEvents.WriteComment(output, "heartbeat");
            quiet = true;
        }
    }

    /// <summary>Keeps a read pending: it returns 0 (or fails) the moment the client goes away. Anything the client sends is ignored.</summary>
    private static async Task WatchForCloseAsync(Stream stream, CancellationTokenSource stop)
    {
        var scratch = new byte[512];
        try
        {
            while (await stream.ReadAsync(scratch, stop.Token) > 0) { }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            try { await stop.CancelAsync(); } catch (ObjectDisposedException) { }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Event stream of feed \"{Feed}\" to {Remote} dropped: the client fell too far behind")]
    private static partial void LogDropped(ILogger logger, string feed, string remote);
}
