using System.Net;
using System.Net.WebSockets;
using Zones.Handlers.Guards;

namespace Zones.Tests.Guards;

/// <summary>cors through the real host with HttpClient playing the browser: preflights, actual requests, origins allowed and foreign, credentials, Vary, streams.</summary>
public sealed class CorsTests
{
    private const string App = "https://app.example.com";

    private static string Zones(string cors) => $$"""
        { "Prefix": "/", "Handler": "cors", {{cors}} },
        { "Prefix": "/ws", "Handler": "websocket", "Endpoint": "echo" },
        { "Prefix": "/events", "Handler": "eventstream" },
        { "Prefix": "/who", "Handler": "whoami" },
        { "Prefix": "/", "Handler": "staticfile", "Root": "www", "Compress": true, "CompressMinSize": 100 },
        { "Prefix": "/", "Handler": "notfound" }
        """;

    private const string Listed = $$"""
        "AllowedOrigins": [ "{{App}}", "https://*.example.org" ], "AllowedMethods": [ "GET", "PUT" ], "AllowedHeaders": [ "X-Token", "Content-Type" ],
        "ExposedHeaders": [ "X-Powered-By" ], "MaxAge": "00:10:00"
        """;

    private static HttpRequestMessage Request(HttpMethod method, string path, string? origin, params (string, string)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        if (origin is not null) request.Headers.Add("Origin", origin);
        foreach (var (name, value) in headers) request.Headers.Add(name, value);
        return request;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;

    [Fact]
    public async Task A_preflight_from_an_allowed_origin_gets_204_with_what_it_asked_for()
    {
        await using var host = await GuardHost.StartAsync(Zones(Listed));
        using var client = host.Client();
        using var response = await client.SendAsync(Request(HttpMethod.Options, "/who", App,
            ("Access-Control-Request-Method", "PUT"), ("Access-Control-Request-Headers", "x-token, content-type")));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(App, Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("GET, PUT", Header(response, "Access-Control-Allow-Methods"));
        Assert.Equal("x-token, content-type", Header(response, "Access-Control-Allow-Headers"));
        Assert.Equal("600", Header(response, "Access-Control-Max-Age"));
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
        Assert.Contains("Origin", Header(response, "Vary"));
    }

    [Theory]
    [InlineData("https://evil.example.net", "PUT", null, "origin")]
    [InlineData("https://example.org", "PUT", null, "origin")]        // the bare domain is not a subdomain
    [InlineData("https://evil-example.org", "PUT", null, "origin")]
    [InlineData("http://app.example.com", "PUT", null, "origin")]     // another scheme is another origin
    [InlineData(App, "DELETE", null, "method DELETE")]
    [InlineData(App, "PUT", "x-secret", "header x-secret")]
    public async Task A_preflight_asking_for_what_is_not_allowed_gets_403_and_no_cors_headers(string origin, string method, string? headers, string named)
    {
        await using var host = await GuardHost.StartAsync(Zones(Listed));
        using var client = host.Client();
        var request = Request(HttpMethod.Options, "/who", origin, ("Access-Control-Request-Method", method));
        if (headers is not null) request.Headers.Add("Access-Control-Request-Headers", headers);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(named, await response.Content.ReadAsStringAsync());
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData(App)]
    [InlineData("https://deep.sub.example.org")]
    public async Task An_actual_request_from_an_allowed_origin_carries_the_headers_whichever_zone_answers(string origin)
    {
        await using var host = await GuardHost.StartAsync(Zones(Listed));
        using var client = host.Client();
        foreach (var path in new[] { "/who", "/page.txt", "/missing" })
        {
            using var response = await client.SendAsync(Request(HttpMethod.Get, path, origin));
            Assert.Equal(origin, Header(response, "Access-Control-Allow-Origin"));
            Assert.Equal("X-Powered-By", Header(response, "Access-Control-Expose-Headers"));
            Assert.Contains("Origin", response.Headers.Vary);
        }
    }

    [Fact]
    public async Task A_foreign_origin_is_never_reflected_and_vary_still_says_origin()
    {
        await using var host = await GuardHost.StartAsync(Zones(Listed));
        using var client = host.Client();
        using var foreign = await client.SendAsync(Request(HttpMethod.Get, "/who", "https://evil.example.net"));
        Assert.Equal(HttpStatusCode.OK, foreign.StatusCode); // CORS decides what a page may read, not what is served
        Assert.Null(Header(foreign, "Access-Control-Allow-Origin"));
        Assert.Equal("Origin", Header(foreign, "Vary"));
        using var none = await client.SendAsync(Request(HttpMethod.Get, "/who", null));
        Assert.Null(Header(none, "Access-Control-Allow-Origin"));
        Assert.Equal("Origin", Header(none, "Vary")); // a cache must not hand this to a cross-origin page
    }

    [Fact]
    public async Task Vary_adds_up_with_a_compressed_files_accept_encoding()
    {
        await using var host = await GuardHost.StartAsync(Zones(Listed));
        using var client = host.Client();
        using var response = await client.SendAsync(Request(HttpMethod.Get, "/style.css", App, ("Accept-Encoding", "gzip")));
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        var vary = response.Headers.Vary.ToList();
        Assert.Contains("Accept-Encoding", vary);
        Assert.Contains("Origin", vary);
    }

    [Fact]
    public async Task Credentials_name_the_origin_and_any_origin_without_them_is_a_star_without_vary()
    {
        await using var credentialed = await GuardHost.StartAsync(Zones($$"""
            "AllowedOrigins": [ "{{App}}" ], "AllowCredentials": true
            """));
        using var client = credentialed.Client();
        using var response = await client.SendAsync(Request(HttpMethod.Get, "/who", App));
        Assert.Equal(App, Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("true", Header(response, "Access-Control-Allow-Credentials"));

        await using var open = await GuardHost.StartAsync(Zones("\"AllowedOrigins\": [ \"*\" ]"));
        using var anyClient = open.Client();
        using var any = await anyClient.SendAsync(Request(HttpMethod.Get, "/who", "https://anyone.example"));
        Assert.Equal("*", Header(any, "Access-Control-Allow-Origin"));
        Assert.Null(Header(any, "Vary"));
        using var preflight = await anyClient.SendAsync(Request(HttpMethod.Options, "/who", "https://anyone.example", ("Access-Control-Request-Method", "POST")));
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal("*", Header(preflight, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_websocket_from_a_foreign_origin_is_refused_before_the_handshake_and_the_own_origin_and_allowed_ones_connect()
    {
        await using var host = await GuardHost.StartAsync(Zones(Listed));
        var uri = new Uri($"ws://127.0.0.1:{host.Port}/ws");
        using (var foreign = new ClientWebSocket())
        {
            foreign.Options.SetRequestHeader("Origin", "https://evil.example.net");
            foreign.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => foreign.ConnectAsync(uri, CancellationToken.None));
            Assert.Equal(HttpStatusCode.Forbidden, foreign.HttpStatusCode);
        }
        foreach (var origin in new[] { App, $"http://127.0.0.1:{host.Port}", null })
        {
            using var socket = new ClientWebSocket();
            if (origin is not null) socket.Options.SetRequestHeader("Origin", origin);
            await socket.ConnectAsync(uri, CancellationToken.None);
            Assert.Equal(WebSocketState.Open, socket.State);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        }
    }

    [Fact]
    public async Task An_event_stream_from_a_foreign_origin_is_refused_and_an_allowed_one_gets_its_cors_headers()
    {
        await using var host = await GuardHost.StartAsync(Zones(Listed));
        using var client = host.Client();
        using var refused = await client.SendAsync(Request(HttpMethod.Get, "/events/news", "https://evil.example.net", ("Accept", "text/event-stream")));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var allowed = await client.SendAsync(Request(HttpMethod.Get, "/events/news", App, ("Accept", "text/event-stream")), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(App, Header(allowed, "Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("https://app.example.com", true)]           // as a browser writes it
    [InlineData("https://APP.example.com:443", true)]       // the same origin written otherwise
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://127.0.0.1:8081", false)]
    [InlineData("http://app.example.com", false)]
    [InlineData("https://app.example.com.evil.net", false)]
    [InlineData("https://app.example.com/", false)]         // not an origin
    public void An_exact_origin_is_allowed_however_it_is_written_and_nothing_else_is(string origin, bool allowed)
    {
        var origins = new OriginList(["https://App.Example.com", "http://127.0.0.1:8080"]);
        Assert.Equal(allowed, origins.Allows(origin));
    }

    [Fact]
    public void Options_refuse_bad_origins_and_credentials_for_every_origin()
    {
        var zone = new ZoneInfo(0, "/", "cors", null, "zones.json");
        Assert.Contains("cors needs \"AllowedOrigins\"", Assert.Single(new CorsOptions().Validate(zone)));
        var problems = new CorsOptions
        {
            AllowedOrigins = { "*", "https://example.com/", "example.com", "https://example.com/path" },
            AllowCredentials = true,
            AllowedHeaders = { "bad header" },
            MaxAge = TimeSpan.FromDays(2),
        }.Validate(zone).ToList();
        Assert.Equal(6, problems.Count);
        Assert.Equal(3, problems.Count(p => p.StartsWith("\"AllowedOrigins\":") && p.Contains("scheme://host[:port] with nothing after it")));
        Assert.Contains(problems, p => p.StartsWith("\"AllowCredentials\": true with \"*\""));
        Assert.Contains(problems, p => p.StartsWith("\"AllowedHeaders\": \"bad header\""));
        Assert.Contains(problems, p => p.StartsWith("\"MaxAge\""));
    }
}
