using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Zones.Hosting;
using Zones.Tests.Infrastructure;
using Zones.Handlers.Feeds;

namespace Zones.Tests.Host;

/// <summary>The new handlers and the "Feeds" section configured from zones.json through the real host.</summary>
public sealed class FeedsAndTemplatesHostTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("zones-host-feeds-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<IHost> StartAsync(string json)
    {
        var path = Path.Combine(_folder, "zones.json");
        await File.WriteAllTextAsync(path, json);
        return await HostTests.StartAsync("--zones", path, "--urls", "http://127.0.0.1:0");
    }

    [Fact]
    public async Task Zones_json_configures_feeds_templates_streams_polls_and_publishing()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "site"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "site", "hi.html.liquid"), "{{ options.Greeting }}, {{ request.query.name }}");
        using var host = await StartAsync("""
            {
              "Feeds": { "Names": [ "declared" ], "BufferSize": 2 },
              "Zones": [
                { "Prefix": "/events", "Handler": "eventstream", "HeartbeatSeconds": 5, "ReplayCount": 1 },
                { "Prefix": "/poll",   "Handler": "longpoll", "Timeout": "00:00:00.300", "MaxEvents": 10 },
                { "Prefix": "/feeds",  "Handler": "publish", "MaxDataSize": 100 },
                { "Prefix": "/",       "Handler": "templatefile", "Root": "site", "Values": { "Greeting": "Hello" } },
                { "Prefix": "/",       "Handler": "notfound" }
              ]
            }
            """);
        var server = TestHost.ServerOf(host);
        var feeds = host.Services.GetRequiredService<IFeeds>();
        using var client = new HttpClient { BaseAddress = new Uri(server.Urls[0] + "/") };

        Assert.Equal("Hello, Ada", await client.GetStringAsync("/hi.html?name=Ada"));
        Assert.True(await feeds.ExistsAsync("declared"));
        Assert.Equal(HttpStatusCode.NoContent, (await client.GetAsync("/poll/declared")).StatusCode);
        for (var i = 0; i < 3; i++) (await client.PostAsync("/feeds/declared", new StringContent($"e{i}"))).EnsureSuccessStatusCode();
        Assert.Equal(["e1", "e2"], (await feeds.SinceAsync("declared", null)).Select(e => e.Data)); // BufferSize 2
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PostAsync("/feeds/declared", new StringContent(new string('x', 101)))).StatusCode);

        // The stream: a new client gets ReplayCount (1) buffered event, then live ones.
        var (stream, events) = await Zones.Tests.Feeds.FeedServer.OpenAsync(client, "/events/declared");
        using (stream)
        using (events)
        {
            Assert.Equal("text/event-stream", stream.Content.Headers.ContentType!.MediaType);
            Assert.Equal("e2", (await events.ReadEventAsync()).Data);
            (await client.PostAsync("/feeds/declared", new StringContent("live"))).EnsureSuccessStatusCode();
            Assert.Equal("live", (await events.ReadEventAsync()).Data);
        }
        await host.StopAsync();
    }

    [Fact]
    public async Task Bad_feed_handler_options_fail_start_naming_the_entry()
    {
        var e = await Assert.ThrowsAsync<ZoneConfigurationException>(() => StartAsync("""
            { "Zones": [
                { "Prefix": "/events", "Handler": "eventstream", "Feed": "no spaces allowed", "HeartbeatSeconds": -1 },
                { "Prefix": "/poll",   "Handler": "longpoll", "Timeout": "00:00:00" },
                { "Prefix": "/t",      "Handler": "templatefile" }
            ] }
            """));
        Assert.Contains(e.Problems, p => p.StartsWith("Zones[0]") && p.Contains("\"Feed\""));
        Assert.Contains(e.Problems, p => p.StartsWith("Zones[0]") && p.Contains("HeartbeatSeconds"));
        Assert.Contains(e.Problems, p => p.StartsWith("Zones[1]") && p.Contains("Timeout"));
        Assert.Contains(e.Problems, p => p.StartsWith("Zones[2]") && p.Contains("needs a \"Root\""));
    }
}
