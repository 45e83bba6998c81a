using System.Text;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Core;

/// <summary>Framing and connection handling, driven byte by byte over a raw socket.</summary>
public sealed class RawSocketTests
{
    private static Zone PathEcho() => TestServer.Zone("/", c => ZoneResult.Respond(ZoneResponse.Text(c.Request.Method + " " + c.Path)));

    /// <summary>Echoes the body, and the trailers of a chunked one (they are there once the body has been read).</summary>
    private static Zone BodyEcho() => TestServer.Zone("/body", async c =>
    {
        var body = await new StreamReader(c.Request.Body).ReadToEndAsync();
        var trailers = string.Concat(c.Request.Trailers.Select(t => $" {t.Key}={t.Value}"));
        return ZoneResult.Respond(ZoneResponse.Text("got:" + body + trailers));
    });

    [Fact]
    public async Task Three_pipelined_requests_in_one_write_are_answered_in_order()
    {
        await using var server = await TestServer.StartAsync(PathEcho());
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync("GET /one HTTP/1.1\r\nHost: t\r\n\r\nGET /two HTTP/1.1\r\nHost: t\r\n\r\nGET /three HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal("GET /one", (await conn.ReadResponseAsync()).BodyText);
        Assert.Equal("GET /two", (await conn.ReadResponseAsync()).BodyText);
        Assert.Equal("GET /three", (await conn.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task A_client_that_closes_inside_its_request_line_gets_no_answer_and_a_debug_line_naming_it()
    {
        await using var server = await TestServer.StartAsync(PathEcho());
        await using var conn = await server.ConnectAsync();
        var client = conn.Socket.LocalEndPoint!.ToString()!;
        await conn.SendAsync("GET /unfinish");
        conn.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        Assert.True(await conn.WaitForCloseAsync());
        Assert.Empty(conn.Unread); // nothing to answer: not even a request line came
        var line = await server.Logs.WaitForAsync(e => e.Message.Contains("closed before sending a whole request line", StringComparison.Ordinal));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, line.Level); // the client's doing, not the server's
        Assert.Contains($"from {client} ", line.Message);
    }

    [Fact]
    public async Task Pipelined_requests_with_bodies_stay_framed()
    {
        await using var server = await TestServer.StartAsync(BodyEcho(), PathEcho());
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync(
            "POST /body HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello" +
            "POST /body HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nX-Trailer: t\r\nX-Sum:  5 \r\n\r\n" +
            "GET /after HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal("got:hello", (await conn.ReadResponseAsync()).BodyText);
        Assert.Equal("got:abcde X-Trailer=t X-Sum=5", (await conn.ReadResponseAsync()).BodyText);
        Assert.Equal("GET /after", (await conn.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task An_unread_body_is_drained_so_the_next_request_is_not_misparsed()
    {
        await using var server = await TestServer.StartAsync(PathEcho());
        await using var conn = await server.ConnectAsync();
        // The body looks like a request: if it were not skipped, "/smuggled" would be answered.
        const string Body = "GET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n";
        await conn.SendAsync($"POST /first HTTP/1.1\r\nHost: t\r\nContent-Length: {Body.Length}\r\n\r\n{Body}GET /second HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal("POST /first", (await conn.ReadResponseAsync()).BodyText);
        Assert.Equal("GET /second", (await conn.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task An_unread_body_over_the_drain_limit_closes_the_connection()
    {
        await using var server = await TestServer.StartAsync([PathEcho()], o => o.Limits.MaxDrainSize = 100);
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync("POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n" + new string('x', 1000));
        var response = await conn.ReadResponseAsync();
        Assert.Equal("close", response.Headers["Connection"]);
        Assert.True(await conn.WaitForCloseAsync());
    }

    [Fact]
    public async Task A_request_written_one_byte_at_a_time_parses()
    {
        await using var server = await TestServer.StartAsync(BodyEcho(), PathEcho());
        await using var conn = await server.ConnectAsync();
        var request = "POST /body HTTP/1.1\r\nHost: t\r\nUser-Agent: slow\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nslow\r\n0\r\n\r\n";
        foreach (var b in Encoding.ASCII.GetBytes(request))
        {
            await conn.SendAsync([b]);
            await Task.Delay(1);
        }
        Assert.Equal("got:slow", (await conn.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task Http10_closes_by_default_and_keeps_alive_when_asked()
    {
        await using var server = await TestServer.StartAsync(PathEcho());
        await using (var conn = await server.ConnectAsync())
        {
            await conn.SendAsync("GET /old HTTP/1.0\r\n\r\n");
            var response = await conn.ReadResponseAsync();
            Assert.Equal("GET /old", response.BodyText);
            Assert.True(await conn.WaitForCloseAsync());
        }
        await using (var conn = await server.ConnectAsync())
        {
            await conn.SendAsync("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            var first = await conn.ReadResponseAsync();
            Assert.Equal("keep-alive", first.Headers["Connection"]);
            await conn.SendAsync("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            Assert.Equal("GET /b", (await conn.ReadResponseAsync()).BodyText);
        }
    }

    [Fact]
    public async Task Http10_gets_a_close_delimited_body_when_the_length_is_unknown()
    {
        await using var server = await TestServer.StartAsync(TestServer.Zone("/w", _ => ZoneResult.Respond(ZoneResponse.Write((s, ct) => s.WriteAsync("streamed"u8.ToArray(), ct).AsTask(), "text/plain"))));
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync("GET /w HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        var response = await conn.ReadResponseAsync();
        Assert.False(response.Headers.ContainsKey("Transfer-Encoding"));
        Assert.Equal("close", response.Headers["Connection"]);
        Assert.Equal("streamed", response.BodyText);
    }

    [Fact]
    public async Task Connection_close_is_honoured()
    {
        await using var server = await TestServer.StartAsync(PathEcho());
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync("GET /x HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        var response = await conn.ReadResponseAsync();
        Assert.Equal("close", response.Headers["Connection"]);
        Assert.True(await conn.WaitForCloseAsync());
    }

    [Theory]
    [InlineData("GET /first HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")]
    [InlineData("POST /first HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc")]
    [InlineData("GET /first HTTP/1.0\r\n\r\n")]
    public async Task A_request_pipelined_after_the_connection_is_to_close_is_never_answered(string first)
    {
        await using var server = await TestServer.StartAsync(PathEcho());
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync(first + "GET /second HTTP/1.1\r\nHost: t\r\n\r\n");
        var response = await conn.ReadResponseAsync();
        Assert.EndsWith(" /first", response.BodyText);
        Assert.Equal("close", response.Headers["Connection"]);
        Assert.True(await conn.WaitForCloseAsync(), "the connection stayed open");
        Assert.Empty(conn.Unread); // no second response
        await server.Logs.WaitForAsync(e => e.Category == "Zones.Access" && e.Message.Contains("/first"));
        Assert.DoesNotContain(server.Logs.Entries, e => e.Message.Contains("/second"));
    }

    [Fact]
    public async Task Expect_100_continue_is_not_answered_until_the_body_is_read()
    {
        var release = new TaskCompletionSource();
        await using var server = await TestServer.StartAsync(TestServer.Zone("/body", async c =>
        {
            await release.Task;
            var body = await new StreamReader(c.Request.Body).ReadToEndAsync();
            return ZoneResult.Respond(ZoneResponse.Text("got:" + body));
        }));
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync("POST /body HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
        Assert.False(await conn.WaitForCloseAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Empty(conn.Unread); // nothing yet: the handler has not asked for the body
        release.SetResult();
        var interim = await conn.ReadResponseAsync();
        Assert.Equal(100, interim.Status);
        await conn.SendAsync("data");
        Assert.Equal("got:data", (await conn.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task Expect_100_continue_never_read_closes_instead_of_waiting_for_the_body()
    {
        await using var server = await TestServer.StartAsync(PathEcho());
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync("POST /ignored HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
        var response = await conn.ReadResponseAsync();
        Assert.Equal(200, response.Status);
        Assert.Equal("close", response.Headers["Connection"]);
        Assert.True(await conn.WaitForCloseAsync());
    }

    [Fact]
    public async Task Leading_empty_lines_before_a_request_are_ignored()
    {
        await using var server = await TestServer.StartAsync(PathEcho());
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync("\r\n\r\nGET /x HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal("GET /x", (await conn.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task Absolute_form_targets_are_accepted()
    {
        await using var server = await TestServer.StartAsync(TestServer.Zone("/", c => ZoneResult.Respond(ZoneResponse.Text(c.Request.Host + " " + c.Path + " " + c.Request.QueryString))));
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync("GET http://example.com:81/a/b?q=1 HTTP/1.1\r\nHost: example.com:81\r\n\r\n");
        Assert.Equal("example.com:81 /a/b q=1", (await conn.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task Dot_segments_and_percent_encoding_are_resolved_before_zones_match()
    {
        await using var server = await TestServer.StartAsync(
            TestServer.Zone("/private", _ => ZoneResult.Respond(ZoneResponse.Text("private"))),
            PathEcho());
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync("GET /public/../%70rivate HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal("private", (await conn.ReadResponseAsync()).BodyText);
        await conn.SendAsync("GET /a/%2e%2e/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal("GET /etc/passwd", (await conn.ReadResponseAsync()).BodyText);
        await conn.SendAsync("GET /a%2Fb/%C3%A9 HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal("GET /a%2Fb/é", (await conn.ReadResponseAsync()).BodyText);
    }
}
