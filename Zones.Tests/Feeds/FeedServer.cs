using Microsoft.Extensions.Logging;
using Zones.Tests.Infrastructure;
using Zones.Handlers.Feeds;

namespace Zones.Tests.Feeds;

/// <summary>A test server with the three feed handlers: /events (eventstream), /poll (longpoll), /feeds (publish).</summary>
internal static class FeedServer
{
    public static Task<TestServer> StartAsync(IFeeds feeds, EventStreamOptions? events = null, LongPollOptions? poll = null,
        PublishOptions? publish = null, ILoggerFactory? loggers = null, params Zone[] more)
    {
        loggers ??= LoggerFactory.Create(_ => { });
        Zone[] zones =
        [
            new("/events", new EventStreamHandler(events ?? new EventStreamOptions(), feeds, loggers.CreateLogger<EventStreamHandler>()), null, "eventstream"),
            new("/poll", new LongPollHandler(poll ?? new LongPollOptions(), feeds), null, "longpoll"),
            new("/feeds", new PublishHandler(publish ?? new PublishOptions(), feeds), null, "publish"),
            .. more,
        ];
        return TestServer.StartAsync(zones, null);
    }

    /// <summary>Opens an event stream with HttpClient and returns the response (headers read) and a reader over its body.</summary>
    public static async Task<(HttpResponseMessage Response, SseClient Events)> OpenAsync(HttpClient client, string path, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return (response, new SseClient(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The id clients see for the feed's event at <paramref name="offset"/> ("EPOCH:OFFSET").</summary>
    public static string IdOf(InProcessFeeds feeds, string feed, long offset) => new FeedPosition(feeds.Head(feed)!.Value.Epoch, offset).ToString();

    /// <summary>Waits for a condition that another thread makes true (subscriber counts, connection counts).</summary>
    public static Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) => Wait.UntilAsync(condition, what, timeout);
}

/// <summary>Real feeds that also say when a long-poll has started waiting, so a test can publish only then.</summary>
internal sealed class ObservedFeeds(InProcessFeeds inner) : IFeeds
{
    public InProcessFeeds Inner => inner;

    private TaskCompletionSource _waiting = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waits;

    public Task Waiting => _waiting.Task;

    /// <summary>How many long-polls have started waiting so far.</summary>
    public int Waits => Volatile.Read(ref _waits);

    public void ResetWaiting() => _waiting = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<IReadOnlyList<FeedEvent>> WaitAsync(string feed, FeedPosition? after, TimeSpan timeout, int max = int.MaxValue, CancellationToken cancellationToken = default)
    {
        var task = inner.WaitAsync(feed, after, timeout, max, cancellationToken);
        Interlocked.Increment(ref _waits);
        _waiting.TrySetResult();
        return task;
    }

    public ValueTask<FeedEvent> PublishAsync(string feed, string eventName, string data, CancellationToken cancellationToken = default) =>
        inner.PublishAsync(feed, eventName, data, cancellationToken);
    public void Declare(string feed) => inner.Declare(feed);
    public ValueTask<bool> ExistsAsync(string feed, CancellationToken cancellationToken = default) => inner.ExistsAsync(feed, cancellationToken);
    public int SubscriberCount(string feed) => inner.SubscriberCount(feed);
    public FeedSubscription Subscribe(string feed, FeedPosition? after = null, int replayLast = 0) => inner.Subscribe(feed, after, replayLast);
    public Task<IReadOnlyList<FeedEvent>> SinceAsync(string feed, FeedPosition? after, int max = int.MaxValue, CancellationToken cancellationToken = default) =>
        inner.SinceAsync(feed, after, max, cancellationToken);

    /// <summary>Publishes and waits for the backend's answer (in-process: at once).</summary>
    public FeedEvent Publish(string feed, string eventName, string data) => inner.PublishAsync(feed, eventName, data).AsTask().GetAwaiter().GetResult();
}
