using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Zones.Handlers;
using Zones.Handlers.Feeds;
using Zones.Hosting;
using Zones.Testing;

namespace Zones.Tests.Testing;

/// <summary>The test kit (Zones.Testing): handlers and tables run in memory, answers read as a client would.</summary>
public sealed class TestKitTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("zones-kit-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static ZoneHandlerFunc Handler(Func<ZoneContext, ValueTask<ZoneResult>> handle) => new(handle);

    [Fact]
    public async Task A_response_reads_as_the_server_would_send_it()
    {
        var result = await ZoneTest.Request("GET /hello?name=ana").RunAsync(Handler(c =>
            ZoneResult.Respond(ZoneResponse.Text($"hello {c.Request.Query["name"]}").WithHeader("X-Kit", "yes"))));

        Assert.Equal(ZoneResultKind.Respond, result.Kind);
        Assert.Equal(200, result.Status);
        Assert.Equal("hello ana", result.BodyText);
        Assert.Equal("9", result.Headers["Content-Length"]);
        Assert.Equal("yes", result.Headers["X-Kit"]);
        Assert.NotNull(result.Headers["Date"]);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", result.Head);
    }

    [Fact]
    public async Task Headers_body_and_form_reach_the_handler()
    {
        var echo = Handler(async c =>
        {
            var form = await c.Request.ReadFormAsync();
            return ZoneResult.Respond(ZoneResponse.Text($"{c.Request.Headers["X-Who"]} {form.Fields["a"]} {form.Fields["b"]} {c.Request.IsHttps} {c.Request.RemoteEndPoint!.Address}"));
        });
        var result = await ZoneTest.Request("POST /form").WithHeader("X-Who", "kit").WithForm(("a", "1 2"), ("b", "ü&=")).WithHttps()
            .WithRemote(System.Net.IPAddress.Parse("192.0.2.7")).RunAsync(echo);
        Assert.Equal("kit 1 2 ü&= True 192.0.2.7", result.BodyText);

        var raw = await ZoneTest.Request("PUT /raw").WithBody([1, 2, 3], "application/octet-stream").RunAsync(Handler(async c =>
        {
            var bytes = new MemoryStream();
            await c.Request.Body.CopyToAsync(bytes);
            return ZoneResult.Respond(ZoneResponse.Text($"{c.Request.ContentLength} {Convert.ToHexString(bytes.ToArray())}"));
        }));
        Assert.Equal("3 010203", raw.BodyText);
    }

    [Fact]
    public async Task A_malformed_request_is_refused_as_the_server_refuses_it()
    {
        var e = Assert.Throws<Zones.Http.BadHttpRequestException>(() => ZoneTest.Request("GET /x").WithHeader("Bad Name", "v").Build());
        Assert.Equal(400, e.Status);
        Assert.Throws<ArgumentException>(() => ZoneTest.Request("nonsense"));
    }

    [Fact]
    public async Task Pass_and_Next_are_results_with_their_states()
    {
        Assert.Equal(ZoneResultKind.Pass, (await ZoneTest.Request("GET /").RunAsync(Handler(_ => ZoneResult.Pass))).Kind);

        Directory.CreateDirectory(Path.Combine(_root, "docs"));
        File.WriteAllText(Path.Combine(_root, "docs", "index.html"), "<p>docs</p>");
        var next = await ZoneTest.Request("GET /docs/").RunAsync(new IndexFileHandler(new IndexFileOptions()), root: _root);
        Assert.Equal(ZoneResultKind.Next, next.Kind);
        // Wibble's indexfile: the index page first, the folder itself kept for a listing after it.
        Assert.Equal(["/docs/index.html", "/docs/"], next.States.Select(s => s.Path));
        Assert.Equal(0, next.Status);
    }

    [Fact]
    public async Task A_table_from_zones_json_serves_files_with_conditional_requests_and_404s()
    {
        File.WriteAllText(Path.Combine(_root, "index.html"), "<h1>home</h1>");
        var site = ZoneTest.Table("""
            { "Zones": [
              { "Prefix": "/", "Handler": "indexfile", "Root": "." },
              { "Prefix": "/", "Handler": "contenttype" },
              { "Prefix": "/", "Handler": "staticfile", "Root": "." },
              { "Prefix": "/", "Handler": "notfound" } ] }
            """, folder: _root);

        var home = await ZoneTest.Request("GET /").RunAsync(site);
        Assert.Equal(200, home.Status);
        Assert.Equal("<h1>home</h1>", home.BodyText);
        Assert.Equal("text/html; charset=utf-8", home.Headers["Content-Type"]);

        var again = await ZoneTest.Request("GET /index.html").WithHeader("If-None-Match", home.Headers["ETag"]!).RunAsync(site);
        Assert.Equal(304, again.Status);
        Assert.Empty(again.Body);

        var head = await ZoneTest.Request("HEAD /index.html").RunAsync(site);
        Assert.Equal("13", head.Headers["Content-Length"]);
        Assert.Empty(head.Body);

        Assert.Equal(404, (await ZoneTest.Request("GET /missing.txt").RunAsync(site)).Status);
    }

    [Fact]
    public async Task A_table_with_handlers_of_your_own_and_a_bad_entry_says_what_the_server_would()
    {
        var table = ZoneTest.Table("""{ "Zones": [ { "Prefix": "/mine", "Handler": "mine" } ] }""",
            s => s.AddZoneHandler<KitHandler>("mine"));
        Assert.Equal("mine at /mine/x", (await ZoneTest.Request("GET /mine/x").RunAsync(table)).BodyText);

        var e = Assert.Throws<ZoneConfigurationException>(() => ZoneTest.Table("""{ "Zones": [ { "Prefix": "/", "Handler": "nosuch" } ] }""", folder: _root));
        Assert.Contains("nosuch", e.Message);
        Assert.Contains(Path.Combine(_root, "zones.json"), e.Message);
    }

    [Fact]
    public async Task The_services_of_a_table_are_the_ones_its_handlers_use()
    {
        var table = ZoneTest.Table("""{ "Zones": [ { "Prefix": "/feeds", "Handler": "publish" } ] }""");
        var published = await ZoneTest.Request("POST /feeds/news").WithBody("hi").RunAsync(table);
        Assert.Equal(200, published.Status);
        Assert.Equal("hi", Assert.Single(((InProcessFeeds)table.Services.GetRequiredService<IFeeds>()).Since("news")).Data);
    }

    [Fact]
    public async Task A_take_over_runs_over_an_in_memory_stream_a_websocket_client_can_talk_on()
    {
        var table = ZoneTest.Table("""{ "Zones": [ { "Prefix": "/ws", "Handler": "websocket", "Endpoint": "echo" } ] }""");
        var result = await ZoneTest.Request("GET /ws")
            .WithHeader("Upgrade", "websocket").WithHeader("Connection", "Upgrade")
            .WithHeader("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").WithHeader("Sec-WebSocket-Version", "13")
            .RunAsync(table);
        Assert.Equal(ZoneResultKind.TakeOver, result.Kind);

        await using var takeOver = result.StartTakeOver();
        var head = await takeOver.ReadHeadAsync();
        Assert.StartsWith("HTTP/1.1 101 ", head);
        Assert.Contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", head);

        using var client = WebSocket.CreateFromStream(takeOver.Client, new WebSocketCreationOptions { IsServer = false });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.SendAsync("kit"u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[64];
        var received = await client.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal("kit", Encoding.UTF8.GetString(buffer, 0, received.Count));
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        Assert.Equal(TakeOverEnd.Close, await takeOver.Completion.WaitAsync(timeout.Token));
    }

    [Fact]
    public async Task A_handler_that_waits_for_its_client_is_seen_asking()
    {
        var result = await ZoneTest.Request("GET /wait").RunAsync(Handler(c =>
        {
            c.WatchForDisconnect();
            return ZoneResult.Respond(ZoneResponse.Text("done"));
        }));
        Assert.True(result.WatchedForDisconnect);
        Assert.False((await ZoneTest.Request("GET /x").RunAsync(Handler(_ => ZoneResult.Respond(ZoneResponse.Text("x"))))).WatchedForDisconnect);
    }

    private sealed class KitHandler : IZoneHandler
    {
        public ValueTask<ZoneResult> HandleAsync(ZoneContext context) => ZoneResult.Respond(ZoneResponse.Text($"mine at {context.Path}"));
    }
}
