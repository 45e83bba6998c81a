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
/// (longpoll), /feeds (publish), /subscribe (the WebSocket feed endpoint), /chat (the chat room) —
/// and an HttpClient for it.
/// </summary>
public sealed class RedisInstance : IAsyncDisposable
{
    private readonly WebSocketTestServer _server;

    private RedisInstance(WebSocketTestServer server)
    {
        _server = server;
        Client = server.Server.CreateClient();
    }

    /// <summary>A client of this instance, disposed with it.</summary>
    public HttpClient Client { get; }

    public ListLoggerProvider Logs => _server.Logs;

    public IFeeds Feeds => _server.Services.GetRequiredService<IFeeds>();

    public Uri WsUri(string path) => _server.WsUri(path);

    /// <summary>
    /// Starts an instance on the Redis at <paramref name="configuration"/>. Instances of one test share
    /// <paramref name="prefix"/> (the test's own keys); <paramref name="feeds"/> sets Feeds options.
    /// </summary>
    public static async Task<RedisInstance> StartAsync(string configuration, string prefix, Action<FeedsOptions>? feeds = null)
    {
        var server = await WebSocketTestServer.StartAsync(endpoint: "feed", prefix: "/subscribe",
            register: collection =>
            {
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
            },
            moreZones: services =>
            {
                var feedsService = services.GetRequiredService<IFeeds>();
                var loggers = services.GetRequiredService<ILoggerFactory>();
                return
                [
                    new("/events", new EventStreamHandler(new EventStreamOptions { HeartbeatSeconds = 1 }, feedsService, loggers.CreateLogger<EventStreamHandler>()), null, "eventstream"),
                    new("/poll", new LongPollHandler(new LongPollOptions { Timeout = TimeSpan.FromSeconds(30) }, feedsService), null, "longpoll"),
                    new("/feeds", new PublishHandler(new PublishOptions(), feedsService), null, "publish"),
                    WebSocketTestServer.Zone("/chat", new WebSocketZoneOptions { Endpoint = "chat" }, services),
                ];
            });
        return new RedisInstance(server);
    }

    /// <summary>Each test's own key prefix, so tests sharing nothing never see each other's feeds.</summary>
    public static string NewPrefix() => $"t{Guid.NewGuid():N}:";

    /// <summary>Opens an event stream on this instance.</summary>
    public Task<(HttpResponseMessage Response, SseClient Events)> OpenStreamAsync(string feed, string? lastEventId = null) =>
        FeedServer.OpenAsync(Client, $"/events/{feed}", lastEventId);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _server.DisposeAsync();
    }
}
