using System.Diagnostics;
using System.Net;
using System.Text;
using Zones.Handlers.Feeds;
using Zones.Testing;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Feeds;

public sealed class PublishTests
{
    [Fact]
    public async Task A_post_publishes_its_body_with_the_event_name_from_the_query()
    {
        var feeds = new InProcessFeeds();
        await using var server = await FeedServer.StartAsync(feeds);
        using var client = server.CreateClient();
        using var response = await client.PostAsync("/feeds/news?event=headline", new StringContent("Zones ships SSE\nand long-poll"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{{\"feed\":\"news\",\"id\":\"{FeedServer.IdOf(feeds, "news", 1)}\"}}\n", await response.Content.ReadAsStringAsync());
        var e = Assert.Single(feeds.Since("news"));
        Assert.Equal(("headline", "Zones ships SSE\nand long-poll"), (e.Name, e.Data));
    }

    [Fact]
    public async Task Curl_can_publish()
    {
        var curlPath = Requires.Tool("curl", "apt-get install -y curl");
        var feeds = new InProcessFeeds();
        await using var server = await FeedServer.StartAsync(feeds);
        using var curl = Process.Start(new ProcessStartInfo(curlPath, ["-sS", "-d", "hello", $"{server.BaseAddress}feeds/news"]) { RedirectStandardOutput = true })!;
        var output = await curl.StandardOutput.ReadToEndAsync();
        await curl.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        Assert.Equal($"{{\"feed\":\"news\",\"id\":\"{FeedServer.IdOf(feeds, "news", 1)}\"}}\n", output);
        Assert.Equal("hello", feeds.Since("news").Single().Data);
    }

    [Theory]
    [InlineData("GET", "/feeds/news", "", HttpStatusCode.MethodNotAllowed)]
    [InlineData("POST", "/feeds/bad%20name", "x", HttpStatusCode.NotImplemented)] // not a feed name: the zone passes
    [InlineData("POST", "/feeds/news?event=two%20words", "x", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/feeds/news?event=zones-reset", "x", HttpStatusCode.BadRequest)] // reserved for the feeds' own signal
    public async Task Bad_publishes_are_refused(string method, string path, string body, HttpStatusCode status)
    {
        var feeds = new InProcessFeeds();
        await using var server = await FeedServer.StartAsync(feeds);
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST") request.Content = new StringContent(body);
        using var response = await client.SendAsync(request);
        Assert.Equal(status, response.StatusCode);
        Assert.Empty(feeds.Names);
    }

    [Fact]
    public async Task Data_over_the_limit_is_413()
    {
        var feeds = new InProcessFeeds();
        await using var server = await FeedServer.StartAsync(feeds, publish: new PublishOptions { MaxDataSize = 10 });
        using var client = server.CreateClient();
        using var response = await client.PostAsync("/feeds/news", new StringContent("more than ten bytes"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/feeds/news") { Content = new StreamContent(new Zones.Tests.RequestData.UnknownLengthStream(new MemoryStream(Encoding.ASCII.GetBytes("more than ten bytes")))) };
        using var chunkedResponse = await client.SendAsync(chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunkedResponse.StatusCode);
        Assert.Empty(feeds.Since("news"));
    }

    [Fact]
    public async Task Publishing_to_a_new_feed_past_MaxFeeds_is_507_and_existing_feeds_still_take_events()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { Names = ["a", "b"], MaxFeeds = 3 });
        await using var server = await FeedServer.StartAsync(feeds);
        using var client = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/feeds/c", new StringContent("third"))).StatusCode);

        using var refused = await client.PostAsync("/feeds/d", new StringContent("one too many"));
        Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
        Assert.Contains("MaxFeeds", await refused.Content.ReadAsStringAsync());
        Assert.False(await feeds.ExistsAsync("d"));
        Assert.Equal(["a", "b", "c"], feeds.Names.Order());

        using var existing = await client.PostAsync("/feeds/a", new StringContent("still fine"));
        Assert.Equal(HttpStatusCode.OK, existing.StatusCode);
        Assert.Equal("still fine", feeds.Since("a").Single().Data);
    }

    [Theory]
    [InlineData("192.0.2.10", false, 403)]
    [InlineData("::ffff:192.0.2.10", false, 403)]
    [InlineData("192.0.2.10", true, 200)]
    [InlineData("127.0.0.1", false, 200)]
    [InlineData("::1", false, 200)]
    [InlineData("::ffff:127.0.0.1", false, 200)]
    public async Task Only_loopback_clients_may_publish_unless_remote_publishing_is_allowed(string remote, bool allowRemote, int status)
    {
        var feeds = new InProcessFeeds();
        var handler = new PublishHandler(new PublishOptions { AllowRemote = allowRemote }, feeds);
        var result = await ZoneTest.Request("POST /feeds/news").WithBody("hi").WithRemote(IPAddress.Parse(remote)).RunAsync(handler, "/feeds");
        Assert.Equal(status, result.Status);
        Assert.Equal(status == 200 ? 1 : 0, feeds.Since("news").Count);
    }
}
