using System.Net.Sockets;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Core;

/// <summary>Graceful stop: what was accepted finishes, idle connections close, new ones are refused.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Requests_in_flight_when_stop_begins_all_get_their_full_response()
    {
        var started = 0;
        var body = new string('x', 100_000);
        var server = await TestServer.StartAsync(TestServer.Zone("/slow", async _ =>
        {
            Interlocked.Increment(ref started);
            await Task.Delay(500);
            return ZoneResult.Respond(ZoneResponse.Text(body));
        }));
        const int Clients = 20;
        var connections = new List<RawConnection>();
        for (var i = 0; i < Clients; i++)
        {
            var conn = await server.ConnectAsync();
            await conn.SendAsync("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
            connections.Add(conn);
        }
        while (Volatile.Read(ref started) < Clients) await Task.Delay(10);

        var stop = server.Server.StopAsync();
        var responses = await Task.WhenAll(connections.Select(c => c.ReadResponseAsync()));
        await stop.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.All(responses, r =>
        {
            Assert.Equal(200, r.Status);
            Assert.Equal(body.Length, r.Body.Length);
            Assert.Equal("close", r.Headers["Connection"]); // the server says it is going away
        });
        foreach (var c in connections) Assert.True(await c.WaitForCloseAsync());
        await Assert.ThrowsAnyAsync<SocketException>(() => server.ConnectAsync());
        await server.DisposeAsync();
        foreach (var c in connections) await c.DisposeAsync();
    }

    [Fact]
    public async Task Idle_keep_alive_connections_close_at_once_on_stop()
    {
        var server = await TestServer.StartAsync(TestServer.Zone("/", _ => ZoneResult.Respond(ZoneResponse.Text("ok"))));
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal("ok", (await conn.ReadResponseAsync()).BodyText);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await server.Server.StopAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(await conn.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        Assert.True(clock.Elapsed < server.Server.Options.ShutdownTimeout, "the idle connection held up the stop");
        await server.DisposeAsync();
    }
}
