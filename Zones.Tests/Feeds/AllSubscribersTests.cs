using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Zones.Tests.WebSockets;
using Zones.Handlers.Feeds;

namespace Zones.Tests.Feeds;

/// <summary>Wibble's icc promise: one publish reaches every kind of subscriber — SSE, WebSocket and long-poll.</summary>
public sealed class AllSubscribersTests
{
    [Fact]
    public async Task One_publish_reaches_an_event_stream_a_websocket_and_a_long_poll()
    {
        var feeds = new ObservedFeeds(new InProcessFeeds(new FeedsOptions { Names = ["news"] }));
        var id = FeedServer.IdOf(feeds.Inner, "news", 1);
        Zone[] feedZones =
        [
            new("/events", new EventStreamHandler(new EventStreamOptions(), feeds, NullLogger<EventStreamHandler>.Instance), null, "eventstream"),
            new("/poll", new LongPollHandler(new LongPollOptions { Timeout = TimeSpan.FromSeconds(30) }, feeds), null, "longpoll"),
            new("/feeds", new PublishHandler(new PublishOptions(), feeds), null, "publish"),
        ];
        await using var server = await WebSocketTestServer.StartAsync(
            register: s => s.AddSingleton<IFeeds>(feeds), endpoint: "feed", prefix: "/subscribe", moreZones: _ => feedZones);
        using var client = server.Server.CreateClient();

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(server.WsUri("/subscribe?feed=news"), CancellationToken.None);
        var (response, events) = await FeedServer.OpenAsync(client, "/events/news");
        using (response)
        using (events)
        {
            await FeedServer.WaitUntilAsync(() => feeds.SubscriberCount("news") == 2, "the stream and the socket are subscribed");
            var poll = client.GetAsync("/poll/news?after=0");
            await feeds.Waiting.WaitAsync(TimeSpan.FromSeconds(10));

            using var published = await client.PostAsync("/feeds/news", new StringContent("hello, everyone"));
            Assert.Equal($"{{\"feed\":\"news\",\"id\":\"{id}\"}}\n", await published.Content.ReadAsStringAsync());

            var streamed = await events.ReadEventAsync();
            Assert.Equal((id, "hello, everyone"), (streamed.Id, streamed.Data));

            var buffer = new byte[4096];
            var received = await socket.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            Assert.Equal(WebSocketMessageType.Text, received.MessageType);
            using (var json = JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, received.Count)))
                Assert.Equal((id, "hello, everyone"), (json.RootElement.GetProperty("id").GetString(), json.RootElement.GetProperty("data").GetString()));

            using var polled = await poll;
            using var array = JsonDocument.Parse(await polled.Content.ReadAsStringAsync());
            var e = Assert.Single(array.RootElement.EnumerateArray());
            Assert.Equal((id, "hello, everyone"), (e.GetProperty("id").GetString(), e.GetProperty("data").GetString()));
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await FeedServer.WaitUntilAsync(() => feeds.SubscriberCount("news") == 0, "every subscriber left the feed");
    }

    [Fact]
    public async Task A_websocket_naming_no_feed_or_an_unknown_one_is_closed_with_1008()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { Names = ["news"] });
        await using var server = await WebSocketTestServer.StartAsync(register: s => s.AddSingleton<IFeeds>(feeds), endpoint: "feed", prefix: "/subscribe");
        foreach (var path in new[] { "/subscribe", "/subscribe?feed=nope" })
        {
            using var socket = new ClientWebSocket();
            await socket.ConnectAsync(server.WsUri(path), CancellationToken.None);
            var result = await socket.ReceiveAsync(new byte[256], new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            Assert.Equal(WebSocketMessageType.Close, result.MessageType);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
        }
    }
}
