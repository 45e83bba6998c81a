using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Zones.Tests.Infrastructure;
using Zones.Handlers.Feeds;

namespace Zones.Tests.Feeds;

/// <summary>The eventstream handler through a real server, read by HttpClient and raw sockets.</summary>
public sealed class EventStreamTests
{
    [Fact]
    public async Task A_client_gets_an_event_stream_head_a_retry_and_each_event_with_id_name_and_data_lines()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { Names = ["news"] });
        await using var server = await FeedServer.StartAsync(feeds, new EventStreamOptions { RetryMilliseconds = 1500 });
        using var client = server.CreateClient();
        var (response, events) = await FeedServer.OpenAsync(client, "/events/news");
        using (response)
        using (events)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal("no-cache", response.Headers.CacheControl!.ToString());
            Assert.Null(response.Content.Headers.ContentLength);
            Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
            Assert.Equal("1500", (await events.ReadBlockAsync())!.Retry);

            await FeedServer.WaitUntilAsync(() => feeds.SubscriberCount("news") == 1, "the client is subscribed");
            feeds.Publish("news", "message", "plain");
            feeds.Publish("news", "alert", "line one\nline two\r\nline three\rline four");
            var first = await events.ReadEventAsync();
            Assert.Equal((FeedServer.IdOf(feeds, "news", 1), null, "plain"), (first.Id, first.Event, first.Data));
            var second = await events.ReadEventAsync();
            Assert.Equal((FeedServer.IdOf(feeds, "news", 2), "alert", "line one\nline two\nline three\nline four"), (second.Id, second.Event, second.Data));
        }
    }

    [Fact]
    public async Task The_wire_format_splits_every_kind_of_line_break_into_data_lines()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { Names = ["f"] });
        await using var server = await FeedServer.StartAsync(feeds, new EventStreamOptions { HeartbeatSeconds = 0 });
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync("GET /events/f HTTP/1.1\r\nHost: t\r\n\r\n");
        var head = new StringBuilder();
        string line;
        while ((line = await conn.ReadLineAsync()) != "\r\n") head.Append(line);
        Assert.StartsWith("HTTP/1.1 200 OK", head.ToString());
        Assert.DoesNotContain("Content-Length", head.ToString());
        Assert.DoesNotContain("Transfer-Encoding", head.ToString());
        Assert.Equal("retry: 3000\n", await conn.ReadLineAsync());
        Assert.Equal("\n", await conn.ReadLineAsync());
        await FeedServer.WaitUntilAsync(() => feeds.SubscriberCount("f") == 1, "subscribed");
        feeds.Publish("f", "e", "a\r\nb\n\nc");
        var expected = new[] { $"id: {FeedServer.IdOf(feeds, "f", 1)}\n", "event: e\n", "data: a\n", "data: b\n", "data: \n", "data: c\n", "\n" };
        foreach (var want in expected) Assert.Equal(want, await conn.ReadLineAsync());
    }

    [Fact]
    public async Task A_quiet_stream_carries_comment_heartbeats()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { Names = ["quiet"] });
        await using var server = await FeedServer.StartAsync(feeds, new EventStreamOptions { HeartbeatSeconds = 1 });
        using var client = server.CreateClient();
        var (response, events) = await FeedServer.OpenAsync(client, "/events/quiet");
        using (response)
        using (events)
        {
            Assert.NotNull((await events.ReadBlockAsync())!.Retry);
            var heartbeat = await events.ReadBlockAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(["heartbeat"], heartbeat!.Comments);
            Assert.Null(heartbeat.Data);
        }
    }

    [Fact]
    public async Task Last_event_id_resumes_from_the_replay_buffer_then_continues_live()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { Names = ["f"] });
        for (var i = 1; i <= 5; i++) feeds.Publish("f", "message", $"event {i}");
        await using var server = await FeedServer.StartAsync(feeds);
        using var client = server.CreateClient();
        var (response, events) = await FeedServer.OpenAsync(client, "/events/f", lastEventId: FeedServer.IdOf(feeds, "f", 3));
        using (response)
        using (events)
        {
            Assert.Equal(FeedServer.IdOf(feeds, "f", 4), (await events.ReadEventAsync()).Id);
            Assert.Equal(FeedServer.IdOf(feeds, "f", 5), (await events.ReadEventAsync()).Id);
            feeds.Publish("f", "message", "event 6");
            var live = await events.ReadEventAsync();
            Assert.Equal((FeedServer.IdOf(feeds, "f", 6), "event 6"), (live.Id, live.Data));
        }
    }

    [Fact]
    public async Task A_last_event_id_from_another_run_gets_a_zones_reset_event_then_the_buffer()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { Names = ["f"], BufferSize = 3 });
        for (var i = 1; i <= 5; i++) feeds.Publish("f", "message", $"event {i}");
        await using var server = await FeedServer.StartAsync(feeds);
        using var client = server.CreateClient();
        foreach (var (lastEventId, reason) in new[] { ("oldrun:4", "restarted"), ("4", "restarted"), (FeedServer.IdOf(feeds, "f", 1), "trimmed") })
        {
            var (response, events) = await FeedServer.OpenAsync(client, "/events/f", lastEventId);
            using (response)
            using (events)
            {
                var reset = await events.ReadEventAsync();
                Assert.Equal(("zones-reset", FeedServer.IdOf(feeds, "f", 2)), (reset.Event, reset.Id));
                Assert.Equal($"{{\"reason\":\"{reason}\",\"requested\":\"{lastEventId}\",\"resumed\":\"{FeedServer.IdOf(feeds, "f", 2)}\"}}", reset.Data);
                Assert.Equal(("event 3", "event 4", "event 5"), ((await events.ReadEventAsync()).Data, (await events.ReadEventAsync()).Data, (await events.ReadEventAsync()).Data));
            }
        }
    }

    [Theory]
    [InlineData("/events/f?lastEventId={3}", null, 4)]     // for clients that cannot set the header
    [InlineData("/events/f?lastEventId={1}", "{3}", 4)]    // the header wins over the query
    public async Task The_lastEventId_query_resumes_like_the_header(string path, string? header, long first)
    {
        var feeds = new InProcessFeeds(new FeedsOptions { Names = ["f"] });
        for (var i = 1; i <= 5; i++) feeds.Publish("f", "message", $"event {i}");
        string WithIds(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\{(\d+)\}", m => FeedServer.IdOf(feeds, "f", long.Parse(m.Groups[1].Value)));
        await using var server = await FeedServer.StartAsync(feeds);
        using var client = server.CreateClient();
        var (response, events) = await FeedServer.OpenAsync(client, WithIds(path), lastEventId: header is null ? null : WithIds(header));
        using (response)
        using (events)
        {
            Assert.Equal(FeedServer.IdOf(feeds, "f", first), (await events.ReadEventAsync()).Id);
            Assert.Equal(FeedServer.IdOf(feeds, "f", 5), (await events.ReadEventAsync()).Id);
        }
    }

    [Fact]
    public async Task A_new_client_gets_the_last_replay_count_events_first()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { Names = ["f"] });
        for (var i = 1; i <= 5; i++) feeds.Publish("f", "message", $"{i}");
        await using var server = await FeedServer.StartAsync(feeds, new EventStreamOptions { Feed = "f", ReplayCount = 2 });
        using var client = server.CreateClient();
        var (response, events) = await FeedServer.OpenAsync(client, "/events");
        using (response)
        using (events)
        {
            Assert.Equal("4", (await events.ReadEventAsync()).Data);
            Assert.Equal("5", (await events.ReadEventAsync()).Data);
        }
    }

    [Fact]
    public async Task A_client_that_disconnects_is_unsubscribed_at_once_without_waiting_for_a_write()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { Names = ["f"] });
        // No heartbeat for ten minutes: only the pending read can notice the client leaving.
        await using var server = await FeedServer.StartAsync(feeds, new EventStreamOptions { HeartbeatSeconds = 600 });
        var conn = await server.ConnectAsync();
        await conn.SendAsync("GET /events/f HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200", await conn.ReadLineAsync());
        await FeedServer.WaitUntilAsync(() => feeds.SubscriberCount("f") == 1, "subscribed");
        await conn.DisposeAsync();
        await FeedServer.WaitUntilAsync(() => feeds.SubscriberCount("f") == 0, "the subscription is removed");
        await FeedServer.WaitUntilAsync(() => server.Server.ConnectionCount == 0, "the connection is closed");
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_dropped_while_another_gets_every_event()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { Names = ["f"], SubscriberQueueSize = 8 });
        var logs = new ListLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        await using var server = await FeedServer.StartAsync(feeds, new EventStreamOptions { HeartbeatSeconds = 0 }, loggers: loggers);

        // The slow client asks for the stream and never reads; a small receive window fills fast.
        using var slow = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await slow.ConnectAsync(IPAddress.Loopback, server.Port);
        await slow.SendAsync(Encoding.ASCII.GetBytes("GET /events/f HTTP/1.1\r\nHost: t\r\n\r\n"));
        await FeedServer.WaitUntilAsync(() => feeds.SubscriberCount("f") == 1, "the slow client is subscribed");

        using var client = server.CreateClient();
        var (response, fast) = await FeedServer.OpenAsync(client, "/events/f");
        using (response)
        using (fast)
        {
            await FeedServer.WaitUntilAsync(() => feeds.SubscriberCount("f") == 2, "both clients are subscribed");
            var payload = new string('x', 64 * 1024);
            var published = 0;
            // Publish at the fast reader's pace until the feed gives up on the stalled one.
            while (feeds.SubscriberCount("f") == 2 && published < 2000)
            {
                var id = feeds.Publish("f", "message", payload).Id;
                published++;
                var e = await fast.ReadEventAsync();
                Assert.Equal(id, e.Id);
                Assert.Equal(payload.Length, e.Data!.Length);
            }
            Assert.Equal(1, feeds.SubscriberCount("f"));
            await logs.WaitForAsync(l => l.Message.Contains("fell too far behind"));
            // What was already buffered for it gets the response grace period (5 s) to leave, then the connection is cut.
            await FeedServer.WaitUntilAsync(() => server.Server.ConnectionCount == 1, "the slow client's connection is closed", TimeSpan.FromSeconds(30));

            // The fast client is unaffected and keeps receiving.
            var next = feeds.Publish("f", "message", "still here");
            var last = await fast.ReadEventAsync();
            Assert.Equal((next.Id, "still here"), (last.Id, last.Data));
        }
    }

    [Fact]
    public async Task Unknown_feeds_are_404_other_methods_405_and_a_fixed_feed_zone_answers_only_its_own_path()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { Names = ["f"] });
        await using var server = await TestServer.StartAsync(
            [
                new Zone("/fixed", new EventStreamHandler(new EventStreamOptions { Feed = "f" }, feeds, LoggerFactory.Create(_ => { }).CreateLogger<EventStreamHandler>())),
                new Zone("/events", new EventStreamHandler(new EventStreamOptions(), feeds, LoggerFactory.Create(_ => { }).CreateLogger<EventStreamHandler>())),
                TestServer.Zone("/", _ => ZoneResult.Respond(ZoneResponse.ForStatus(404, "fell through"))),
            ], null);
        using var client = server.CreateClient();
        using var unknown = await client.GetAsync("/events/nope");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no feed \"nope\"", await unknown.Content.ReadAsStringAsync());
        using var post = await client.PostAsync("/events/f", new StringContent("x"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal("GET", post.Content.Headers.Allow.Single());
        using var below = await client.GetAsync("/fixed/other");
        Assert.Contains("fell through", await below.Content.ReadAsStringAsync());
        var (own, events) = await FeedServer.OpenAsync(client, "/fixed");
        using (own)
        using (events)
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
            Assert.Equal("text/event-stream", own.Content.Headers.ContentType!.MediaType);
        }
    }

    [Fact]
    public async Task A_stream_ends_when_the_server_stops()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { Names = ["f"] });
        var server = await FeedServer.StartAsync(feeds);
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync("GET /events/f HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200", await conn.ReadLineAsync());
        await FeedServer.WaitUntilAsync(() => feeds.SubscriberCount("f") == 1, "subscribed");
        await server.DisposeAsync();
        Assert.True(await conn.WaitForCloseAsync());
        Assert.Equal(0, feeds.SubscriberCount("f"));
    }
}
