using Zones.Tests.Infrastructure;

namespace Zones.Tests.Core;

/// <summary>Deadlines enforced by the heartbeat (about a second's resolution), with short settings.</summary>
public sealed class TimeoutTests
{
    private static Zone Ok() => TestServer.Zone("/", _ => ZoneResult.Respond(ZoneResponse.Text("ok")));

    [Fact]
    public async Task A_request_head_that_never_finishes_gets_408_and_the_connection_closes()
    {
        var limit = TimeSpan.FromSeconds(1);
        await using var server = await TestServer.StartAsync([Ok()], o => o.Limits.RequestHeadersTimeout = limit);
        var clock = ServerClock.StartNew(); // before the connection exists, so never after the server's own clock starts
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync("GET / HTTP/1.1\r\nHost: t\r\n");
        var response = await conn.ReadResponseAsync(timeout: TimeSpan.FromSeconds(10));
        Assert.Equal(408, response.Status);
        Assert.True(clock.Elapsed >= limit, $"408 after {clock.Elapsed.TotalMilliseconds:0} ms, before the {limit.TotalMilliseconds:0} ms limit");
        Assert.True(await conn.WaitForCloseAsync());
    }

    [Fact]
    public async Task An_idle_keep_alive_connection_is_closed_quietly_after_the_keep_alive_timeout()
    {
        var limit = TimeSpan.FromSeconds(1);
        await using var server = await TestServer.StartAsync([Ok()], o => o.Limits.KeepAliveTimeout = limit);
        await using var conn = await server.ConnectAsync();
        var clock = ServerClock.StartNew(); // before the request, so before the response that starts the idle time
        await conn.SendAsync("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal("ok", (await conn.ReadResponseAsync()).BodyText);
        Assert.True(await conn.WaitForCloseAsync(TimeSpan.FromSeconds(10)));
        Assert.True(clock.Elapsed >= limit, $"closed after {clock.Elapsed.TotalMilliseconds:0} ms, before the {limit.TotalMilliseconds:0} ms keep-alive timeout");
        Assert.Empty(conn.Unread); // closed without a 408: nothing was in progress
    }

    [Fact]
    public async Task A_body_slower_than_the_minimum_rate_gets_408()
    {
        await using var server = await TestServer.StartAsync(
            [TestServer.Zone("/body", async c =>
            {
                await c.Request.Body.CopyToAsync(Stream.Null);
                return ZoneResult.Respond(ZoneResponse.Text("read"));
            })],
            o =>
            {
                o.Limits.MinRequestBodyDataRate = 1000;
                o.Limits.MinRequestBodyDataRateGracePeriod = TimeSpan.FromSeconds(1);
            });
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync("POST /body HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\nsome");
        var response = await conn.ReadResponseAsync(timeout: TimeSpan.FromSeconds(10));
        Assert.Equal(408, response.Status);
        Assert.True(await conn.WaitForCloseAsync());
    }

    [Fact]
    public async Task A_client_that_never_reads_its_response_is_disconnected()
    {
        var big = new byte[64 * 1024 * 1024];
        await using var server = await TestServer.StartAsync(
            [TestServer.Zone("/big", _ => ZoneResult.Respond(ZoneResponse.Bytes(big)))],
            o =>
            {
                o.Limits.MinResponseDataRate = 1_000_000;
                o.Limits.MinResponseDataRateGracePeriod = TimeSpan.FromSeconds(1);
            });
        await using var conn = await server.ConnectAsync();
        conn.Socket.ReceiveBufferSize = 4096;
        await conn.SendAsync("GET /big HTTP/1.1\r\nHost: t\r\n\r\n");
        // Do not read. The server must give up on us rather than hold the connection forever.
        await Wait.UntilAsync(() => server.Server.ConnectionCount == 0, "the server to drop the client that does not read", TimeSpan.FromSeconds(30));
    }
}
