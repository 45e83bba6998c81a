using Microsoft.Extensions.DependencyInjection;
using Zones.Handlers.Guards;
using Zones.Handlers.WebSockets;
using Zones.Http;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Guards;

/// <summary>
/// CORS as Chromium enforces it: one server with two listeners (two ports, so two origins) and
/// a third origin, localhost on the first port, that the cors zones do not list. A page's fetch
/// and WebSocket run from each origin against the second port.
/// </summary>
public sealed class CorsBrowserTests
{
    private const string Page = "<!doctype html><title>origin</title><p>a page</p>";

    [Fact]
    public async Task Fetch_with_and_without_credentials_and_a_websocket_from_allowed_and_foreign_origins()
    {
        CorsHandler? plain = null, credentialed = null; // built once the ports are known
        var services = new ServiceCollection().AddLogging().AddBuiltInWebSocketEndpoints().BuildServiceProvider();
        Zone[] zones =
        [
            TestServer.Zone("/page", _ => ZoneResult.Respond(ZoneResponse.Html(Page))),
            TestServer.Zone("/api", c => plain!.HandleAsync(c)),
            TestServer.Zone("/ws", c => plain!.HandleAsync(c)),
            WebSockets.WebSocketTestServer.Zone("/ws", new WebSocketZoneOptions { Endpoint = "echo" }, services),
            TestServer.Zone("/cred", c => credentialed!.HandleAsync(c)),
            // What the server saw: the cookie a credentialed fetch brings, or none.
            TestServer.Zone("/", c => ZoneResult.Respond(ZoneResponse.Text("cookie=" + (c.Request.Headers[HeaderNames.Cookie] ?? "none")))),
        ];
        await using var server = await TestServer.StartAsync(zones, o => o.Urls = ["http://127.0.0.1:0", "http://127.0.0.1:0"], services);
        var (pagePort, apiPort) = (server.Server.EndPoints[0].Port, server.Server.EndPoints[1].Port);
        var allowed = $"http://127.0.0.1:{pagePort}";
        plain = new CorsHandler(new CorsOptions { AllowedOrigins = { allowed }, AllowedMethods = { "GET", "PUT" }, AllowedHeaders = { "X-Token" } });
        credentialed = new CorsHandler(new CorsOptions { AllowedOrigins = { allowed }, AllowCredentials = true });
        var api = $"http://127.0.0.1:{apiPort}";

        await using var session = await Browser.LaunchAsync();
        var page = await session.NewPageAsync();
        await page.GotoAsync($"{allowed}/page");
        // Cookies ignore ports: one set here is the API's too, sent when credentials are included.
        await page.EvaluateAsync("() => { document.cookie = 'sid=abc; SameSite=Lax'; }");
        Assert.Equal("200 cookie=none", await FetchAsync(page, $"{api}/api/data", "{}"));
        // PUT with a custom header needs a preflight, which the zone answers.
        Assert.Equal("200 cookie=none", await FetchAsync(page, $"{api}/api/data", "{ method: 'PUT', headers: { 'X-Token': '1' } }"));
        Assert.Equal("blocked", await FetchAsync(page, $"{api}/api/data", "{ method: 'DELETE' }"));
        // With credentials the answer must name the origin and say Allow-Credentials: only /cred does.
        Assert.Equal("blocked", await FetchAsync(page, $"{api}/api/data", "{ credentials: 'include' }"));
        Assert.Equal("200 cookie=sid=abc", await FetchAsync(page, $"{api}/cred/data", "{ credentials: 'include' }"));
        Assert.Equal("open", await WebSocketAsync(page, $"ws://127.0.0.1:{apiPort}/ws"));

        var foreign = await session.NewPageAsync();
        await foreign.GotoAsync($"http://localhost:{pagePort}/page");
        Assert.Equal("blocked", await FetchAsync(foreign, $"{api}/api/data", "{}"));
        Assert.Equal("blocked", await FetchAsync(foreign, $"{api}/cred/data", "{ credentials: 'include' }"));
        Assert.Equal("refused", await WebSocketAsync(foreign, $"ws://127.0.0.1:{apiPort}/ws"));
    }

    private static Task<string> FetchAsync(Microsoft.Playwright.IPage page, string url, string init) =>
        page.EvaluateAsync<string>($$"""
            async url => {
              try { const r = await fetch(url, {{init}}); return r.status + ' ' + await r.text(); }
              catch { return 'blocked'; }
            }
            """, url);

    private static Task<string> WebSocketAsync(Microsoft.Playwright.IPage page, string url) =>
        page.EvaluateAsync<string>("""
            url => new Promise(done => {
              const socket = new WebSocket(url);
              socket.onopen = () => { socket.close(); done('open'); };
              socket.onerror = () => done('refused');
            })
            """, url);
}
