using System.Net;
using System.Text.Json;
using Zones.Handlers.Feeds;

namespace Zones.Tests.Feeds;

public sealed class LongPollTests
{
    [Fact]
    public async Task A_waiting_poll_is_woken_by_a_publish_and_gets_a_json_array()
    {
        var feeds = new ObservedFeeds(new InProcessFeeds(new FeedsOptions { Names = ["f"] }));
        await using var server = await FeedServer.StartAsync(feeds, poll: new LongPollOptions { Timeout = TimeSpan.FromSeconds(30) });
        using var client = server.CreateClient();
        var poll = client.GetAsync("/poll/f?after=0");
        await feeds.Waiting.WaitAsync(TimeSpan.FromSeconds(10));
        feeds.Publish("f", "tick", "line 1\nline \"2\"");
        using var response = await poll;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var e = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(FeedServer.IdOf(feeds.Inner, "f", 1), e.GetProperty("id").GetString());
        Assert.Equal("tick", e.GetProperty("event").GetString());
        Assert.Equal("line 1\nline \"2\"", e.GetProperty("data").GetString());
        Assert.True(e.GetProperty("time").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public async Task A_poll_with_nothing_new_answers_204_after_its_timeout()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { Names = ["f"] });
        await using var server = await FeedServer.StartAsync(feeds, poll: new LongPollOptions { Timeout = TimeSpan.FromMilliseconds(300) });
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/poll/f");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task A_waiting_poll_answers_204_at_once_when_the_server_stops()
    {
        var feeds = new ObservedFeeds(new InProcessFeeds(new FeedsOptions { Names = ["f"] }));
        await using var server = await FeedServer.StartAsync(feeds, poll: new LongPollOptions { Timeout = TimeSpan.FromMinutes(5) });
        using var client = server.CreateClient();
        var poll = client.GetAsync("/poll/f?after=0");
        await feeds.Waiting.WaitAsync(TimeSpan.FromSeconds(10));
        var stop = server.Server.StopAsync();
        using var response = await poll.WaitAsync(TimeSpan.FromSeconds(20)); // not the 5-minute timeout
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await stop.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_client_that_gives_up_on_a_poll_frees_its_connection_at_once_not_at_the_timeout()
    {
        var feeds = new ObservedFeeds(new InProcessFeeds(new FeedsOptions { Names = ["f"] }));
        await using var server = await FeedServer.StartAsync(feeds, poll: new LongPollOptions { Timeout = TimeSpan.FromMinutes(5) });
        var raw = await server.ConnectAsync();
        await raw.SendAsync("GET /poll/f?after=0 HTTP/1.1\r\nHost: x\r\n\r\n");
        await feeds.Waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, server.Server.ConnectionCount);
        await raw.DisposeAsync();
        await FeedServer.WaitUntilAsync(() => server.Server.ConnectionCount == 0, "the abandoned poll's connection to close");
        // And the feed still serves the next poll.
        feeds.Publish("f", "tick", "after");
        using var client = server.CreateClient();
        Assert.Contains("\"after\"", await client.GetStringAsync("/poll/f?after=0"));
    }

    [Fact]
    public async Task Of_many_waiting_polls_those_abandoned_close_and_the_rest_all_get_the_next_event()
    {
        var feeds = new ObservedFeeds(new InProcessFeeds(new FeedsOptions { Names = ["f"] }));
        await using var server = await FeedServer.StartAsync(feeds, poll: new LongPollOptions { Timeout = TimeSpan.FromMinutes(5) });
        var polls = new List<Zones.Tests.Infrastructure.RawConnection>();
        for (var i = 0; i < 100; i++)
        {
            var raw = await server.ConnectAsync();
            await raw.SendAsync("GET /poll/f?after=0 HTTP/1.1\r\nHost: x\r\n\r\n");
            polls.Add(raw);
        }
        await FeedServer.WaitUntilAsync(() => feeds.Waits == 100, "all polls to be waiting");

        // Every other client gives up: half by closing, half by resetting.
        for (var i = 0; i < polls.Count; i += 2)
        {
            if (i % 4 == 0) polls[i].Socket.LingerState = new System.Net.Sockets.LingerOption(true, 0);
            await polls[i].DisposeAsync();
        }
        await FeedServer.WaitUntilAsync(() => server.Server.ConnectionCount == 50, "the abandoned polls' connections to close");

        feeds.Publish("f", "tick", "for the patient");
        for (var i = 1; i < polls.Count; i += 2)
        {
            var response = await polls[i].ReadResponseAsync();
            Assert.Equal(200, response.Status);
            Assert.Contains("for the patient", response.BodyText);
            await polls[i].DisposeAsync();
        }
        Assert.DoesNotContain(server.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task A_poll_behind_the_feed_answers_at_once_with_at_most_max_events()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { Names = ["f"] });
        for (var i = 1; i <= 5; i++) feeds.Publish("f", "message", i.ToString());
        await using var server = await FeedServer.StartAsync(feeds, poll: new LongPollOptions { MaxEvents = 2, Timeout = TimeSpan.FromMinutes(5) });
        using var client = server.CreateClient();
        using var json = JsonDocument.Parse(await client.GetStringAsync($"/poll/f?after={FeedServer.IdOf(feeds, "f", 1)}"));
        Assert.Equal([FeedServer.IdOf(feeds, "f", 2), FeedServer.IdOf(feeds, "f", 3)], json.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task A_poll_from_a_trimmed_position_answers_the_reset_event_first()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { Names = ["f"], BufferSize = 2 });
        for (var i = 1; i <= 5; i++) feeds.Publish("f", "message", i.ToString());
        await using var server = await FeedServer.StartAsync(feeds, poll: new LongPollOptions { Timeout = TimeSpan.FromMinutes(5) });
        using var client = server.CreateClient();
        using var json = JsonDocument.Parse(await client.GetStringAsync($"/poll/f?after={FeedServer.IdOf(feeds, "f", 1)}"));
        var events = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["zones-reset", "message", "message"], events.Select(e => e.GetProperty("event").GetString()));
        Assert.Equal([FeedServer.IdOf(feeds, "f", 3), FeedServer.IdOf(feeds, "f", 4), FeedServer.IdOf(feeds, "f", 5)], events.Select(e => e.GetProperty("id").GetString()));
        Assert.Contains("\"reason\":\"trimmed\"", events[0].GetProperty("data").GetString());
    }

    [Theory]
    [InlineData("/poll/f?after=-1", HttpStatusCode.BadRequest)]
    [InlineData("/poll/f?after=abc", HttpStatusCode.BadRequest)]
    [InlineData("/poll/f?after=a%20b:1", HttpStatusCode.BadRequest)]
    [InlineData("/poll/missing?after=0", HttpStatusCode.NotFound)]
    public async Task Bad_cursors_and_unknown_feeds_are_refused(string path, HttpStatusCode status)
    {
        var feeds = new InProcessFeeds(new FeedsOptions { Names = ["f"] });
        await using var server = await FeedServer.StartAsync(feeds);
        using var client = server.CreateClient();
        using var response = await client.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
    }

    [Fact]
    public async Task One_publish_reaches_an_event_stream_client_and_a_long_poll_client()
    {
        var feeds = new ObservedFeeds(new InProcessFeeds(new FeedsOptions { Names = ["news"] }));
        await using var server = await FeedServer.StartAsync(feeds);
        using var client = server.CreateClient();
        var (response, events) = await FeedServer.OpenAsync(client, "/events/news");
        using (response)
        using (events)
        {
            await FeedServer.WaitUntilAsync(() => feeds.SubscriberCount("news") == 1, "the stream is subscribed");
            var poll = client.GetAsync("/poll/news?after=0");
            await feeds.Waiting.WaitAsync(TimeSpan.FromSeconds(10));

            // Published over HTTP, like curl -d 'hello' http://127.0.0.1:8080/feeds/news
            using var published = await client.PostAsync("/feeds/news", new StringContent("hello"));
            Assert.Equal($"{{\"feed\":\"news\",\"id\":\"{FeedServer.IdOf(feeds.Inner, "news", 1)}\"}}\n", await published.Content.ReadAsStringAsync());

            var streamed = await events.ReadEventAsync();
            using var polled = await poll;
            using var json = JsonDocument.Parse(await polled.Content.ReadAsStringAsync());
            var e = Assert.Single(json.RootElement.EnumerateArray());
            var id = FeedServer.IdOf(feeds.Inner, "news", 1);
            Assert.Equal((id, "hello"), (streamed.Id, streamed.Data));
            Assert.Equal((id, "hello"), (e.GetProperty("id").GetString(), e.GetProperty("data").GetString()));
        }
    }
}
