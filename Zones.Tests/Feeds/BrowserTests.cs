using Microsoft.Extensions.DependencyInjection;
using Zones.Handlers.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Zones.Host;
using Zones.Tests.Infrastructure;
using Zones.Handlers.Feeds;
using Zones.Handlers.Templates;

namespace Zones.Tests.Feeds;

/// <summary>Chromium's EventSource and forms against the real handlers and the demo pages in www/.</summary>
public sealed class BrowserTests
{
    private static readonly PageWaitForFunctionOptions Wait = new() { Timeout = 20_000 };

    /// <summary>The repository's www/ folder, found by walking up from the test binaries.</summary>
    private static string Www => Path.GetDirectoryName(TestHost.RepositoryFile(Path.Combine("www", "live.html")))!;

    [Fact]
    public async Task EventSource_receives_named_events_with_multi_line_data_and_their_ids()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { Names = ["f"] });
        const string page = """
            <!doctype html><title>sse</title><pre id=log></pre>
            <script>
              const log = document.getElementById('log');
              const source = new EventSource('/events/f');
              source.onopen = () => document.title = 'open';
              source.onmessage = e => log.textContent += `message ${e.lastEventId} ${JSON.stringify(e.data)}\n`;
              source.addEventListener('alert', e => log.textContent += `alert ${e.lastEventId} ${JSON.stringify(e.data)}\n`);
            </script>
            """;
        await using var server = await FeedServer.StartAsync(feeds, more: TestServer.Zone("/page", _ => ZoneResult.Respond(ZoneResponse.Html(page))));
        await using var session = await Browser.LaunchAsync();
        var browser = await session.NewPageAsync();
        await browser.GotoAsync(server.BaseAddress + "page");
        await browser.WaitForFunctionAsync("() => document.title === 'open'", null, Wait);
        await FeedServer.WaitUntilAsync(() => feeds.SubscriberCount("f") == 1, "the browser is subscribed");

        feeds.Publish("f", "message", "first");
        feeds.Publish("f", "alert", "two\nlines");
        await browser.WaitForFunctionAsync("() => document.getElementById('log').textContent.split('\\n').length > 2", null, Wait);
        Assert.Equal($"message {FeedServer.IdOf(feeds, "f", 1)} \"first\"\nalert {FeedServer.IdOf(feeds, "f", 2)} \"two\\nlines\"\n", await browser.TextContentAsync("#log"));

        await browser.CloseAsync();
        await FeedServer.WaitUntilAsync(() => feeds.SubscriberCount("f") == 0, "closing the page ends the subscription");
    }

    [Fact]
    public async Task The_live_page_shows_the_clock_over_sse_news_published_from_the_page_and_long_poll_results()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { Names = ["clock", "news"] });
        using var clock = new ClockPublisher(feeds, Microsoft.Extensions.Logging.Abstractions.NullLogger<ClockPublisher>.Instance) { Interval = TimeSpan.FromMilliseconds(200) };
        await clock.StartAsync(CancellationToken.None);
        var live = Path.Combine(Www, "live.html");
        var services = new ServiceCollection().AddLogging().AddSingleton<IFeeds>(feeds).AddBuiltInWebSocketEndpoints().BuildServiceProvider();
        await using var server = await FeedServer.StartAsync(feeds, poll: new LongPollOptions { Timeout = TimeSpan.FromSeconds(5) },
            more:
            [
                TestServer.Zone("/live.html", _ => ZoneResult.Respond(ZoneResponse.File(live, "text/html; charset=utf-8"))),
                TestServer.Zone("/live.js", _ => ZoneResult.Respond(ZoneResponse.File(Path.Combine(Www, "live.js"), "text/javascript; charset=utf-8"))),
                WebSockets.WebSocketTestServer.Zone("/subscribe", new WebSocketZoneOptions { Endpoint = "feed" }, services),
            ]);
        await using var session = await Browser.LaunchAsync();
        var page = await session.NewPageAsync();
        await page.GotoAsync(server.BaseAddress + "live.html");

        await page.WaitForFunctionAsync("() => document.getElementById('clock-state').textContent === 'connected'", null, Wait);
        // The id is EPOCH:OFFSET; the offset counts the ticks.
        const string offset = "Number(document.getElementById('clock-id').textContent.split(':').pop())";
        await page.WaitForFunctionAsync($"() => {offset} > 2", null, Wait);
        Assert.Equal(FeedServer.IdOf(feeds, "clock", 1).Split(':')[0], (await page.TextContentAsync("#clock-id"))!.Split(':')[0]);
        var first = long.Parse((await page.TextContentAsync("#clock-id"))!.Split(':')[1]);
        await page.WaitForFunctionAsync($"() => {offset} > {first}", null, Wait);
        Assert.Matches(@"\d", await page.TextContentAsync("#clock"));

        // The page publishes with fetch; the browser is on loopback, so the publish zone accepts it.
        await page.FillAsync("#headline", "<b>not bold</b>");
        await page.ClickAsync("#publish button");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#news li').length === 1", null, Wait);
        Assert.Equal("<b>not bold</b>", await page.TextContentAsync("#news li"));
        Assert.Equal("<b>not bold</b>", feeds.Since("news").Single().Data);

        await page.WaitForFunctionAsync("() => /\\(id \\w+:\\d+\\)/.test(document.getElementById('polled').textContent)", null, Wait);
        await page.WaitForFunctionAsync("() => /\\(id \\w+:\\d+\\)/.test(document.getElementById('socketed').textContent)", null, Wait);
        await clock.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_form_page_echoes_a_multipart_post_with_a_file_from_the_browser()
    {
        var handler = new TemplateFileHandler(new TemplateFileOptions { Values = new() { ["Site"] = "test" } },
            new ZoneInfo(0, "/", "templatefile", Www, "zones.json"), LoggerFactory.Create(_ => { }).CreateLogger<TemplateFileHandler>());
        await using var server = await TestServer.StartAsync(new Zone("/", handler, Www, "templatefile"));
        var upload = Path.Combine(Path.GetTempPath(), $"zones-browser-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(upload, "twelve bytes");
        try
        {
            await using var session = await Browser.LaunchAsync();
            var page = await session.NewPageAsync();
            await page.GotoAsync(server.BaseAddress + "form.html?q=%3Ci%3Ehi%3C%2Fi%3E");
            Assert.Equal("Form echo · test", await page.TitleAsync());
            Assert.Contains("<i>hi</i>", await page.TextContentAsync("#query")); // shown as text, not markup
            Assert.Equal(0, await page.Locator("#query i").CountAsync());

            await page.FillAsync("input[name=title]", "My <upload>");
            await page.SetInputFilesAsync("input[name=upload]", upload);
            await page.ClickAsync("text=upload");
            await page.WaitForFunctionAsync("() => document.getElementById('method').textContent === 'POST'", null, Wait);
            Assert.Contains("My <upload>", await page.TextContentAsync("#form"));
            var row = await page.TextContentAsync("#files");
            Assert.Contains(Path.GetFileName(upload), row);
            Assert.Contains("12", row);
        }
        finally
        {
            File.Delete(upload);
        }
    }
}
