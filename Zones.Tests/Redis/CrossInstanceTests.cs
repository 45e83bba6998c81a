using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Zones.Handlers.Feeds;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Redis;

/// <summary>Several Zones instances sharing one real redis-server: every kind of subscriber, resumes on another instance, resets.</summary>
public sealed class CrossInstanceTests
{
    [Fact]
    public async Task A_publish_on_one_instance_reaches_streams_a_websocket_and_a_long_poll_on_the_others_in_order_exactly_once()
    {
        await using var site = await RedisSite.StartAsync(3);
        var (a, b, c) = (site[0], site[1], site[2]);

        // Everyone starts from one known event, so nobody's start races the first publish.
        var start = await PublishAsync(a.Client, "news", "start");
        var (responseB, streamB) = await b.OpenStreamAsync("news", start);
        var (responseC, streamC) = await c.OpenStreamAsync("news", start);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(c.WsUri($"/subscribe?feed=news&after={start}"), CancellationToken.None);
        var poll = LongPollAllAsync(b.Client, "news", start, count: 21);
        using (responseB)
        using (streamB)
        using (responseC)
        using (streamC)
        {
            var published = new List<string>();
            for (var i = 1; i <= 20; i++) published.Add(await PublishAsync(a.Client, "news", $"event {i}\nline two"));
            published.Add(await PublishAsync(a.Client, "news", "end"));
            Assert.Equal(21, published.Distinct().Count());

            foreach (var stream in new[] { streamB, streamC })
            {
                var received = new List<string>();
                for (var i = 0; i < 21; i++)
                {
                    var e = await stream.ReadEventAsync();
                    received.Add(e.Id!);
                    Assert.Equal(i < 20 ? $"event {i + 1}\nline two" : "end", e.Data);
                }
                Assert.Equal(published, received); // the same ids, in order: none lost, none twice ("end" comes right after the 20)
            }
            var socketed = new List<string>();
            for (var i = 0; i < 21; i++)
            {
                using var json = await ReceiveJsonAsync(socket);
                socketed.Add(json.RootElement.GetProperty("id").GetString()!);
            }
            Assert.Equal(published, socketed);
            Assert.Equal(published, await poll);
        }
        Assert.DoesNotContain(a.Logs.Entries.Concat(b.Logs.Entries).Concat(c.Logs.Entries), e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Fact]
    public async Task A_client_resumes_on_another_instance_with_last_event_id_after_50_missed_events()
    {
        await using var site = await RedisSite.StartAsync(3);
        var (a, b, c) = (site[0], site[1], site[2]);

        var start = await PublishAsync(a.Client, "news", "start");
        var first = await PublishAsync(a.Client, "news", "seen on B");
        string lastSeen;
        var (response, stream) = await b.OpenStreamAsync("news", start);
        using (response)
        using (stream)
        {
            var e = await stream.ReadEventAsync();
            Assert.Equal((first, "seen on B"), (e.Id, e.Data));
            lastSeen = e.Id!;
        }
        await Wait.UntilAsync(() => b.Feeds.SubscriberCount("news") == 0, "B to notice the client left");

        var missed = new List<string>();
        for (var i = 1; i <= 50; i++) missed.Add(await PublishAsync(a.Client, "news", $"missed {i}"));

        (response, stream) = await c.OpenStreamAsync("news", lastSeen);
        using (response)
        using (stream)
        {
            for (var i = 1; i <= 50; i++)
            {
                var e = await stream.ReadEventAsync();
                Assert.Equal((missed[i - 1], $"missed {i}", null), (e.Id, e.Data, e.Event)); // no reset: all 50 were kept
            }
            var live = await PublishAsync(a.Client, "news", "live again");
            Assert.Equal(live, (await stream.ReadEventAsync()).Id);
        }
    }

    [Fact]
    public async Task A_resume_older_than_the_kept_history_or_from_a_wiped_redis_gets_the_reset_event()
    {
        // Redis trims whole stream nodes of 100 entries (MAXLEN ~), so 250 events with BufferSize 10 drop the first ones.
        await using var site = await RedisSite.StartAsync(2, o => o.BufferSize = 10);
        var (a, b) = (site[0], site[1]);
        var ids = new List<FeedEvent>();
        for (var i = 1; i <= 250; i++) ids.Add(await a.Feeds.PublishAsync("news", "message", $"{i}"));

        var (response, stream) = await b.OpenStreamAsync("news", ids[4].Id);
        using (response)
        using (stream)
        {
            var reset = await stream.ReadEventAsync();
            Assert.Equal("zones-reset", reset.Event);
            Assert.True(FeedPosition.TryParse(reset.Id, out var resumed));
            Assert.Equal(ids[0].Position.Epoch, resumed.Epoch);
            Assert.InRange(resumed.Offset, 6, 240); // where the kept history begins, at least BufferSize back
            using (var data = JsonDocument.Parse(reset.Data!))
            {
                Assert.Equal("trimmed", data.RootElement.GetProperty("reason").GetString());
                Assert.Equal(ids[4].Id, data.RootElement.GetProperty("requested").GetString());
                Assert.Equal(reset.Id, data.RootElement.GetProperty("resumed").GetString());
            }
            for (var offset = resumed.Offset + 1; offset <= 250; offset++)
                Assert.Equal(ids[(int)offset - 1].Id, (await stream.ReadEventAsync()).Id); // what is kept, whole and in order
        }

        // Redis loses everything (a restart without persistence looks the same): old ids belong to a history that is gone.
        Assert.Equal("+OK", await site.Redis.CommandAsync("FLUSHALL"));
        (response, stream) = await b.OpenStreamAsync("news", ids[^1].Id);
        using (response)
        using (stream)
        {
            var reset = await stream.ReadEventAsync();
            Assert.Equal("zones-reset", reset.Event);
            Assert.Contains("\"reason\":\"restarted\"", reset.Data);
            Assert.True(FeedPosition.TryParse(reset.Id, out var resumed));
            Assert.NotEqual(ids[0].Position.Epoch, resumed.Epoch);
            Assert.Equal(0, resumed.Offset);
            var next = await a.Feeds.PublishAsync("news", "message", "first of the new history");
            Assert.Equal((next.Id, "first of the new history"), ((await stream.ReadEventAsync()).Id, next.Data));
            Assert.Equal(resumed.Epoch, next.Position.Epoch);
            Assert.Equal(1, next.Offset);
        }
    }

    [Fact]
    public async Task A_chat_room_spans_two_instances()
    {
        await using var site = await RedisSite.StartAsync(2);
        var (a, b) = (site[0], site[1]);
        using var ann = new ClientWebSocket();
        await ann.ConnectAsync(a.WsUri("/chat?room=lobby&name=ann"), CancellationToken.None);
        Assert.Equal("join", (await ReceiveJsonAsync(ann)).RootElement.GetProperty("type").GetString());
        using var bob = new ClientWebSocket();
        // Bob's join is announced on B; A hears it once its hub's subscription to the room is in place.
        await WaitForSubscribersAsync(site.Redis, $"{site.Prefix}group:chat/lobby", 1);
        await bob.ConnectAsync(b.WsUri("/chat?room=lobby&name=bob"), CancellationToken.None);
        Assert.Equal("bob", (await ReceiveJsonAsync(bob)).RootElement.GetProperty("name").GetString());
        Assert.Equal("bob", (await ReceiveJsonAsync(ann)).RootElement.GetProperty("name").GetString());
        await WaitForSubscribersAsync(site.Redis, $"{site.Prefix}group:chat/lobby", 2);

        for (var i = 0; i < 10; i++)
        {
            var (from, text) = i % 2 == 0 ? (ann, $"ann {i}") : (bob, $"bob {i}");
            await from.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
            foreach (var to in new[] { ann, bob })
            {
                using var json = await ReceiveJsonAsync(to);
                Assert.Equal(("message", text), (json.RootElement.GetProperty("type").GetString(), json.RootElement.GetProperty("text").GetString()));
            }
        }
        await bob.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        using (var left = await ReceiveJsonAsync(ann)) Assert.Equal(("leave", "bob"), (left.RootElement.GetProperty("type").GetString(), left.RootElement.GetProperty("name").GetString()));
        await WaitForSubscribersAsync(site.Redis, $"{site.Prefix}group:chat/lobby", 1); // B left the room's channel with its last member
    }

    /// <summary>Publishes over HTTP (as curl would) and returns the id the instance answered with.</summary>
    internal static async Task<string> PublishAsync(HttpClient client, string feed, string data)
    {
        using var response = await client.PostAsync($"/feeds/{feed}", new StringContent(data));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Long-polls from <paramref name="after"/> until <paramref name="count"/> events came, as a browser would; their ids.</summary>
    private static async Task<List<string>> LongPollAllAsync(HttpClient client, string feed, string after, int count)
    {
        var ids = new List<string>();
        while (ids.Count < count)
        {
            using var response = await client.GetAsync($"/poll/{feed}?after={after}");
            if (response.StatusCode == HttpStatusCode.NoContent) continue;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            foreach (var e in json.RootElement.EnumerateArray())
            {
                Assert.Equal("message", e.GetProperty("event").GetString());
                ids.Add(after = e.GetProperty("id").GetString()!);
            }
        }
        return ids;
    }

    internal static async Task<JsonDocument> ReceiveJsonAsync(WebSocket socket)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[16384];
        var result = await socket.ReceiveAsync(buffer, cts.Token);
        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        Assert.True(result.EndOfMessage);
        return JsonDocument.Parse(buffer.AsMemory(0, result.Count));
    }

    /// <summary>Waits until Redis counts <paramref name="count"/> subscriptions to a channel (PUBSUB NUMSUB).</summary>
    internal static async Task WaitForSubscribersAsync(RedisServer redis, string channel, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        // PUBSUB NUMSUB answers *2 $len channel :count; CommandAsync reads one line, so a script returns the count alone.
        while (await redis.CommandAsync("EVAL", "return redis.call('PUBSUB', 'NUMSUB', ARGV[1])[2]", "0", channel) != $":{count}")
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited 20 s for {count} subscriptions to {channel}.");
            await Task.Delay(20);
        }
    }
}
