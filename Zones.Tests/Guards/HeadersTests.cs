using System.Net;
using Zones.Handlers.Guards;

namespace Zones.Tests.Guards;

/// <summary>The headers zone: set and removed on every kind of response after it — a file, a 404, a handler's own, an event stream — and its option checks.</summary>
public sealed class HeadersTests
{
    private const string Csp = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private const string Zones = $$"""
        { "Prefix": "/", "Handler": "headers", "Remove": [ "Server", "X-Powered-By", "Cache-Control" ],
          "Set": { "Content-Security-Policy": "{{Csp}}", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store" } },
        { "Prefix": "/events", "Handler": "eventstream" },
        { "Prefix": "/who", "Handler": "whoami" },
        { "Prefix": "/", "Handler": "staticfile", "Root": "www", "CacheControl": "public, max-age=60" },
        { "Prefix": "/", "Handler": "notfound" }
        """;

    [Theory]
    [InlineData("/page.txt", HttpStatusCode.OK)]       // staticfile
    [InlineData("/missing", HttpStatusCode.NotFound)]  // notfound
    [InlineData("/who", HttpStatusCode.OK)]            // a handler that sets X-Powered-By itself
    public async Task Every_response_after_the_zone_carries_the_set_headers_and_none_of_the_removed(string path, HttpStatusCode status)
    {
        await using var host = await GuardHost.StartAsync(Zones);
        using var client = host.Client();
        using var response = await client.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(Csp, string.Join(", ", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.False(response.Headers.Contains("Server"));       // the listener's own, removed
        Assert.False(response.Headers.Contains("X-Powered-By")); // the answering handler's own, removed
        // Removed and set: staticfile's "public, max-age=60" is replaced, not sent beside it.
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task An_event_stream_head_carries_them_too()
    {
        await using var host = await GuardHost.StartAsync(Zones);
        using var client = host.Client();
        using var response = await client.GetAsync("/events/news", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task A_later_zone_that_sets_a_header_itself_wins_over_the_provisional_one()
    {
        await using var host = await GuardHost.StartAsync("""
            { "Prefix": "/", "Handler": "headers", "Set": { "X-Frame-Options": "DENY" } },
            { "Prefix": "/", "Handler": "headers", "Set": { "X-Frame-Options": "SAMEORIGIN" } },
            { "Prefix": "/", "Handler": "whoami" }
            """);
        using var client = host.Client();
        using var response = await client.GetAsync("/");
        Assert.Equal("SAMEORIGIN", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.True(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task A_later_headers_zone_removes_and_replaces_what_an_earlier_one_set()
    {
        await using var host = await GuardHost.StartAsync("""
            { "Prefix": "/", "Handler": "headers", "Set": { "X-One": "1", "X-Two": "2" } },
            { "Prefix": "/", "Handler": "headers", "Remove": [ "X-One", "Server" ], "Set": { "X-Two": "two" } },
            { "Prefix": "/", "Handler": "whoami" }
            """);
        using var client = host.Client();
        using var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-One"));
        Assert.Equal("two", Assert.Single(response.Headers.GetValues("X-Two")));
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public void Options_refuse_what_cannot_be_set_or_removed_naming_where_it_comes_from()
    {
        var zone = new ZoneInfo(0, "/", "headers", null, "zones.json");
        Assert.Contains("headers needs \"Set\"", Assert.Single(new HeadersOptions().Validate(zone)));
        var problems = new HeadersOptions
        {
            Set = { ["Content-Length"] = "1", ["Server"] = "x", ["Strict-Transport-Security"] = "max-age=1", ["Bad Name"] = "x", ["X-Ok"] = "a\u0001b" },
            Remove = { "Transfer-Encoding", "no good" },
        }.Validate(zone).ToList();
        Assert.Equal(7, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("\"Set\": \"Content-Length\"") && p.Contains("server's own"));
        Assert.Contains(problems, p => p.StartsWith("\"Set\": \"Server\"") && p.Contains("\"ServerHeader\""));
        Assert.Contains(problems, p => p.StartsWith("\"Set\": \"Strict-Transport-Security\"") && p.Contains("\"Hsts\""));
        Assert.Contains(problems, p => p.StartsWith("\"Set\": \"Bad Name\" is not a header name"));
        Assert.Contains(problems, p => p.StartsWith("\"Set\": \"X-Ok\" has a control character"));
        Assert.Contains(problems, p => p.StartsWith("\"Remove\": \"Transfer-Encoding\"") && p.Contains("cannot be removed"));
        Assert.Contains(problems, p => p.StartsWith("\"Remove\": \"no good\" is not a header name"));
    }
}
