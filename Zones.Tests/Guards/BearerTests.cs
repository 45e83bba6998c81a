using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using Zones.Handlers.Guards;
using Zones.Tests.Feeds;

namespace Zones.Tests.Guards;

/// <summary>bearer through the real host: the header, ?access_token= for WebSocket and SSE only, wrong and missing tokens, the token's name as the user, the log that hides it.</summary>
public sealed class BearerTests
{
    private const string Token = "test-token-0123456789";

    private static string Zones(string extra = "") => $$"""
        { "Prefix": "/", "Handler": "bearer", "Realm": "api", "Tokens": { "publisher": "{{TokenHash.Of(Token)}}", "other": "{{TokenHash.Of("other-token")}}" }{{extra}} },
        { "Prefix": "/ws", "Handler": "websocket", "Endpoint": "echo" },
        { "Prefix": "/events", "Handler": "eventstream" },
        { "Prefix": "/feeds", "Handler": "publish" },
        { "Prefix": "/vars", "Handler": "vars" },
        { "Prefix": "/", "Handler": "whoami" }
        """;

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task The_header_token_passes_with_its_name_as_the_user_and_the_others_get_the_rfc_6750_challenges()
    {
        await using var host = await GuardHost.StartAsync(Zones());
        using var client = host.Client();
        using var ok = await GetAsync(client, "/page", Token);
        Assert.Equal("publisher", await ok.Content.ReadAsStringAsync());
        using var other = await GetAsync(client, "/page", "other-token");
        Assert.Equal("other", await other.Content.ReadAsStringAsync());
        using var vars = await GetAsync(client, "/vars", Token);
        Assert.Contains("<tr><th>user</th><td>publisher</td></tr>", await vars.Content.ReadAsStringAsync());

        using var missing = await GetAsync(client, "/page", null);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Bearer realm=\"api\"", missing.Headers.WwwAuthenticate.ToString());
        using var wrong = await GetAsync(client, "/page", "guess");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("Bearer realm=\"api\", error=\"invalid_token\"", wrong.Headers.WwwAuthenticate.ToString());
        // A query token is for clients that cannot set headers (WebSocket, EventSource): not here.
        using var query = await client.GetAsync($"/page?access_token={Token}");
        Assert.Equal(HttpStatusCode.Unauthorized, query.StatusCode);
    }

    [Fact]
    public async Task Publish_behind_bearer_takes_a_post_with_the_token_only()
    {
        await using var host = await GuardHost.StartAsync(Zones());
        using var client = host.Client();
        using var refused = await client.PostAsync("/feeds/news", new StringContent("no token"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/feeds/news") { Content = new StringContent("with token") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var published = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.StartsWith("{\"feed\":\"news\",\"id\":", await published.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_websocket_connects_with_access_token_in_the_query_or_the_header_and_not_without()
    {
        await using var host = await GuardHost.StartAsync(Zones());
        using (var socket = new ClientWebSocket())
        {
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{host.Port}/ws?access_token={Token}"), CancellationToken.None);
            Assert.Equal(WebSocketState.Open, socket.State);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        }
        using (var socket = new ClientWebSocket())
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {Token}");
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{host.Port}/ws"), CancellationToken.None);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        }
        foreach (var uri in new[] { "/ws", "/ws?access_token=guess" })
        {
            using var refused = new ClientWebSocket();
            refused.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(new Uri($"ws://127.0.0.1:{host.Port}{uri}"), CancellationToken.None));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.HttpStatusCode);
        }
        // The token in the query never reaches the log.
        var line = await host.Logs.WaitForAsync(e => e.Category == "Zones.Access" && e.Message.Contains("access_token=***"));
        Assert.Contains(" publisher \"GET /ws?access_token=*** HTTP/1.1\" 101", line.Message);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Message.Contains(Token));
    }

    [Fact]
    public async Task An_event_stream_opens_with_access_token_in_the_query_and_not_without()
    {
        await using var host = await GuardHost.StartAsync(Zones());
        using var client = host.Client();
        using (var refused = new HttpRequestMessage(HttpMethod.Get, "/events/news"))
        {
            refused.Headers.Accept.ParseAdd("text/event-stream");
            using var response = await client.SendAsync(refused);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/events/news?access_token={Token}");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var opened = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        using var events = new SseClient(await opened.Content.ReadAsStreamAsync());
        Assert.Equal("3000", (await events.ReadBlockAsync())!.Retry);
    }

    [Fact]
    public async Task Both_header_and_query_token_is_400_and_query_tokens_can_be_turned_off()
    {
        await using var host = await GuardHost.StartAsync(Zones(", \"QueryToken\": false"));
        using var client = host.Client();
        using var both = new HttpRequestMessage(HttpMethod.Get, $"/events/news?access_token={Token}");
        both.Headers.Accept.ParseAdd("text/event-stream");
        both.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        // QueryToken off: the query is not a token at all, so the header alone decides.
        using (var response = await client.SendAsync(both, HttpCompletionOption.ResponseHeadersRead))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var queryOnly = new HttpRequestMessage(HttpMethod.Get, $"/events/news?access_token={Token}");
        queryOnly.Headers.Accept.ParseAdd("text/event-stream");
        using (var response = await client.SendAsync(queryOnly))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        await using var strict = await GuardHost.StartAsync(Zones());
        using var strictClient = strict.Client();
        using var twice = new HttpRequestMessage(HttpMethod.Get, $"/events/news?access_token={Token}");
        twice.Headers.Accept.ParseAdd("text/event-stream");
        twice.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var refused = await strictClient.SendAsync(twice);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("error=\"invalid_request\"", refused.Headers.WwwAuthenticate.ToString());
    }
}
