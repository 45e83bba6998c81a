using System.Net;
using System.Net.Sockets;
using System.Text;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Core;

/// <summary>ZoneContext.WatchForDisconnect: a waiting handler learns at once that its client hung up, and nothing else changes.</summary>
public sealed class DisconnectWatchTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(false)] // FIN
    [InlineData(true)]  // RST
    public async Task A_client_that_hangs_up_cancels_RequestAborted_of_a_watching_handler(bool reset)
    {
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(TestServer.Zone("/wait", async c =>
        {
            c.WatchForDisconnect();
            waiting.SetResult();
            try { await Task.Delay(TimeSpan.FromMinutes(5), c.RequestAborted); }
            catch (OperationCanceledException) { cancelled.SetResult(); throw; }
            return ZoneResult.Respond(ZoneResponse.Text("too late"));
        }));
        var raw = await server.ConnectAsync();
        await raw.SendAsync("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n");
        await waiting.Task.WaitAsync(Patience);
        if (reset) raw.Socket.LingerState = new LingerOption(true, 0);
        await raw.DisposeAsync();

        await cancelled.Task.WaitAsync(Patience); // not the five minutes
        await Wait.UntilAsync(() => server.Server.ConnectionCount == 0, "the connection to close");
        Assert.DoesNotContain(server.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task A_watched_request_leaves_the_connection_ready_for_the_next_one()
    {
        // The same connection carries a watched request, then ordinary ones: the watch leaves the
        // input exactly as it found it (no byte eaten, no read left pending or cancelled).
        await using var server = await TestServer.StartAsync(TestServer.Zone("/", async c =>
        {
            if (c.Path == "/watched")
            {
                c.WatchForDisconnect();
                await Task.Delay(200, c.RequestAborted);
            }
            return ZoneResult.Respond(ZoneResponse.Text("answer " + c.Path));
        }));
        await using var raw = await server.ConnectAsync();
        await raw.SendAsync("GET /watched HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("answer /watched", (await raw.ReadResponseAsync()).BodyText);
        await raw.SendAsync("GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("answer /after", (await raw.ReadResponseAsync()).BodyText);
        await raw.SendAsync("GET /watched HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("answer /watched", (await raw.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task Requests_pipelined_behind_a_watched_one_are_answered_in_order()
    {
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(TestServer.Zone("/", async c =>
        {
            c.WatchForDisconnect();
            if (c.Path == "/one")
            {
                waiting.SetResult();
                await release.Task.WaitAsync(c.RequestAborted);
            }
            return ZoneResult.Respond(ZoneResponse.Text("answer " + c.Path));
        }));
        await using var raw = await server.ConnectAsync();
        await raw.SendAsync("GET /one HTTP/1.1\r\nHost: x\r\n\r\n");
        await waiting.Task.WaitAsync(Patience);
        // The next two arrive while the first is held, and the watch reads them in (the kernel's
        // queue for the server's socket empties): it must leave them for the connection.
        await raw.SendAsync("GET /two HTTP/1.1\r\nHost: x\r\n\r\nGET /three HTTP/1.1\r\nHost: x\r\n\r\n");
        var serverSide = new IPEndPoint(IPAddress.Loopback, server.Port);
        var clientSide = (IPEndPoint)raw.Socket.LocalEndPoint!;
        await Wait.UntilAsync(() => TcpQueue.Unread(serverSide, clientSide) == 0, "the watch to read the pipelined requests in");
        release.SetResult();
        Assert.Equal("answer /one", (await raw.ReadResponseAsync()).BodyText);
        Assert.Equal("answer /two", (await raw.ReadResponseAsync()).BodyText);
        Assert.Equal("answer /three", (await raw.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task A_request_with_a_body_is_not_watched_and_its_handler_reads_the_body()
    {
        var watched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(TestServer.Zone("/", async c =>
        {
            c.WatchForDisconnect();
            watched.SetResult();
            var body = await new StreamReader(c.Request.Body, Encoding.UTF8).ReadToEndAsync(c.RequestAborted);
            return ZoneResult.Respond(ZoneResponse.Text("got " + body));
        }));
        await using var raw = await server.ConnectAsync();
        await raw.SendAsync("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n");
        await watched.Task.WaitAsync(Patience); // the body comes only after the handler asked for a watch
        await raw.SendAsync("hello");
        Assert.Equal("got hello", (await raw.ReadResponseAsync()).BodyText);
    }
}
