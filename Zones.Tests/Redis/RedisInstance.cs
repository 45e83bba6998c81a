using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Zones.Handlers.Feeds;
using Zones.Handlers.WebSockets;
using Zones.Redis;
using Zones.Tests.Feeds;
using Zones.Tests.Infrastructure;
using Zones.Tests.WebSockets;

namespace Zones.Tests.Redis;

/// <summary>
/// One Zones instance of a scaled-out site, in this test process: a real server on 127.0.0.1 port
/// 0 whose feeds and hub groups go through a shared Redis — /events (eventstream), /poll
/// (longpoll), /feeds (publish), /subscribe (the WebSocket feed endpoint), /chat (the chat room).
/// </summary>
public sealed class RedisInstance : IAsyncDisposable
{
    private RedisInstance(TestServer server, ServiceProvider services, ListLoggerProvider logs)
    {
        Server = server;
        Services = services;
        Logs = logs;
    }

    public TestServer Server { get; }

    public ServiceProvider Services { get; }

    public ListLoggerProvider Logs { get; }

    public IFeeds Feeds => Services.GetRequiredService<IFeeds>();

    public Uri WsUri(string path) => new($"ws://127.0.0.1:{Server.Port}{path}");

    public HttpClient CreateClient() => Server.CreateClient();

    /// <summary>
    /// Starts an instance on the Redis at <paramref name="configuration"/>. Instances of one test share
    /// <paramref name="prefix"/> (the test's own keys); <paramref name="feeds"/> sets Feeds options.
    /// </summary>
    public static async Task<RedisInstance> StartAsync(string configuration, string prefix, Action<FeedsOptions>? feeds = null, EventStreamOptions? events = null)
    {
        var logs = new ListLoggerProvider();
        var collection = new ServiceCollection();
        collection.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        collection.AddBuiltInWebSocketEndpoints();
        collection.Configure<FeedsOptions>(o =>
        {
            o.Names = ["news"];
            feeds?.Invoke(o);
        });
        collection.AddZonesRedis(o =>
        {
            o.Configuration = configuration;
            o.Prefix = prefix;
            o.PositionCheckInterval = TimeSpan.FromMilliseconds(200);
        });
        var services = collection.BuildServiceProvider();
        var feedsService = services.GetRequiredService<IFeeds>();
        var loggers = services.GetRequiredService<ILoggerFactory>();
        Zone[] zones =
        [
            new("/events", new EventStreamHandler(events ?? new EventStreamOptions { HeartbeatSeconds = 1 }, feedsService, loggers.CreateLogger<EventStreamHandler>()), null, "eventstream"),
            new("/poll", new LongPollHandler(new LongPollOptions { Timeout = TimeSpan.FromSeconds(30) }, feedsService), null, "longpoll"),
            new("/feeds", new PublishHandler(new PublishOptions(), feedsService), null, "publish"),
            WebSocketTestServer.Zone("/subscribe", new WebSocketZoneOptions { Endpoint = "feed" }, services),
            WebSocketTestServer.Zone("/chat", new WebSocketZoneOptions { Endpoint = "chat" }, services),
        ];
        var server = await TestServer.StartAsync(zones, null, services);
        return new RedisInstance(server, services, logs);
    }

    /// <summary>Each test's own key prefix, so tests sharing nothing never see each other's feeds.</summary>
    public static string NewPrefix() => $"t{Guid.NewGuid():N}:";

    /// <summary>Opens an event stream on this instance.</summary>
    public Task<(HttpResponseMessage Response, SseClient Events)> OpenStreamAsync(HttpClient client, string feed, string? lastEventId = null) =>
        FeedServer.OpenAsync(client, $"/events/{feed}", lastEventId);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Services.DisposeAsync();
    }
}
