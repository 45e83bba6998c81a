using System.Text;
using Zones.Tests.Infrastructure;
using Zones.Http;

namespace Zones.Tests.Core;

/// <summary>TakeOver: the handler owns the socket, gets the bytes already read, and may hand it back.</summary>
public sealed class TakeOverTests
{
    [Fact]
    public async Task A_take_over_handler_receives_the_bytes_that_came_with_the_request_head()
    {
        await using var server = await TestServer.StartAsync(TestServer.Zone("/raw", _ => ZoneResult.TakeOver(async t =>
        {
            await t.WriteResponseHeadAsync(101, new HttpHeaders { { "Upgrade", "echo" }, { "Connection", "Upgrade" } });
            var buffer = new byte[64];
            var line = new StringBuilder();
            while (!line.ToString().EndsWith('\n'))
            {
                var n = await t.Stream.ReadAsync(buffer);
                if (n == 0) return;
                line.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }
            await t.Stream.WriteAsync(Encoding.ASCII.GetBytes("echo:" + line));
        })));
        await using var conn = await server.ConnectAsync();
        // One write: the head and the first protocol bytes arrive in the same packet.
        await conn.SendAsync("GET /raw HTTP/1.1\r\nHost: t\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\nearly bytes\n");
        var head = await conn.ReadResponseAsync();
        Assert.Equal(101, head.Status);
        Assert.Equal("echo", head.Headers["Upgrade"]);
        var rest = await conn.ReadToEndAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.Equal("echo:early bytes\n", Encoding.ASCII.GetString(rest));
    }

    [Fact]
    public async Task A_zero_byte_read_waits_for_bytes_and_Peek_shows_them_without_consuming_them()
    {
        var waited = new TaskCompletionSource<int>();
        await using var server = await TestServer.StartAsync(TestServer.Zone("/peek", _ => ZoneResult.TakeOver(async t =>
        {
            await t.WriteResponseHeadAsync(101, new HttpHeaders { { "Upgrade", "peek" }, { "Connection", "Upgrade" } });
            waited.SetResult(await t.Stream.ReadAsync(Memory<byte>.Empty)); // returns only once bytes are here
            var peeked = new byte[4];
            var n = t.Peek(peeked);
            var all = t.Buffered;
            var read = new byte[64];
            var got = await t.Stream.ReadAsync(read); // the peeked bytes are still the first ones read
            await t.Stream.WriteAsync(Encoding.ASCII.GetBytes($"peeked {Encoding.ASCII.GetString(peeked, 0, n)} of {all}, read {Encoding.ASCII.GetString(read, 0, got)}\n"));
        })));
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync("GET /peek HTTP/1.1\r\nHost: t\r\nUpgrade: peek\r\nConnection: Upgrade\r\n\r\n");
        Assert.Equal(101, (await conn.ReadResponseAsync()).Status);
        await Task.Delay(300);
        Assert.False(waited.Task.IsCompleted, "a zero-byte read must wait while nothing has arrived");
        await conn.SendAsync("hello world");
        Assert.Equal(0, await waited.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("peeked hell of 11, read hello world\n", await conn.ReadLineAsync());
    }

    [Fact]
    public async Task A_handler_that_hands_the_connection_back_gets_the_next_request_answered_on_the_same_socket()
    {
        await using var server = await TestServer.StartAsync(
            TestServer.Zone("/once", _ => ZoneResult.TakeOver(async t =>
            {
                // Speak a tiny private protocol for one line, then give the socket back to HTTP.
                await t.Stream.WriteAsync("private-hello\n"u8.ToArray());
                var one = new byte[1];
                while (await t.Stream.ReadAsync(one) == 1 && one[0] != '\n') { }
                return TakeOverEnd.ContinueHttp;
            })),
            TestServer.Zone("/", c => ZoneResult.Respond(ZoneResponse.Text("http again " + c.Request.ConnectionId))));
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync("GET /once HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal("private-hello\n", await conn.ReadLineAsync());
        await conn.SendAsync("bye\nGET /next HTTP/1.1\r\nHost: t\r\n\r\n");
        var response = await conn.ReadResponseAsync();
        Assert.Equal(200, response.Status);
        Assert.StartsWith("http again ", response.BodyText);
        Assert.Equal(1, server.Server.ConnectionCount);
    }

    [Fact]
    public async Task Take_over_connections_are_counted_and_see_the_stopping_signal_on_shutdown()
    {
        var entered = new TaskCompletionSource();
        var sawStopping = new TaskCompletionSource<bool>();
        var server = await TestServer.StartAsync(TestServer.Zone("/hold", _ => ZoneResult.TakeOver(async t =>
        {
            entered.SetResult();
            try { await Task.Delay(Timeout.Infinite, t.ServerStopping); }
            catch (OperationCanceledException) { sawStopping.SetResult(true); }
            await t.Stream.WriteAsync("going away\n"u8.ToArray());
        })));
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync("GET /hold HTTP/1.1\r\nHost: t\r\n\r\n");
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, server.Server.ConnectionCount);

        await server.DisposeAsync();
        Assert.True(await sawStopping.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        var rest = await conn.ReadToEndAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.Equal("going away\n", Encoding.ASCII.GetString(rest));
        Assert.Equal(0, server.Server.ConnectionCount);
    }

    [Fact]
    public async Task A_take_over_that_ignores_shutdown_is_cut_after_the_timeout()
    {
        var entered = new TaskCompletionSource();
        var aborted = new TaskCompletionSource();
        var timeout = TimeSpan.FromMilliseconds(500);
        var server = await TestServer.StartAsync([TestServer.Zone("/stubborn", _ => ZoneResult.TakeOver(async t =>
        {
            t.ConnectionAborted.Register(() => aborted.TrySetResult());
            entered.SetResult();
            var buffer = new byte[16];
            while (await t.Stream.ReadAsync(buffer) > 0) { }
        }))], o => o.ShutdownTimeout = timeout);
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync("GET /stubborn HTTP/1.1\r\nHost: t\r\n\r\n");
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var clock = ServerClock.StartNew();
        var stop = server.Server.StopAsync();
        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var cutAfter = clock.Elapsed;
        await stop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(cutAfter >= timeout, $"cut {cutAfter.TotalMilliseconds:0} ms after the stop began, before the {timeout.TotalMilliseconds:0} ms shutdown timeout");
        Assert.True(await conn.WaitForCloseAsync());
        await server.DisposeAsync();
    }

    [Fact]
    public async Task A_take_over_handler_that_throws_has_its_connection_closed_and_logged_and_the_server_serves_on()
    {
        await using var server = await TestServer.StartAsync(
            TestServer.Zone("/throws", _ => ZoneResult.TakeOver(async t =>
            {
                await t.Stream.WriteAsync("partial\n"u8.ToArray());
                await t.Stream.FlushAsync();
                throw new InvalidOperationException("the take-over failed on purpose");
            })),
            TestServer.Zone("/", c => ZoneResult.Respond(ZoneResponse.Text("still serving"))));
        await using (var conn = await server.ConnectAsync())
        {
            // Pipelined behind: never answered, the socket is the handler's and it failed.
            await conn.SendAsync("GET /throws HTTP/1.1\r\nHost: t\r\n\r\nGET /next HTTP/1.1\r\nHost: t\r\n\r\n");
            Assert.True(await conn.WaitForCloseAsync(), "the failed take-over's connection stayed open");
            Assert.Equal("partial\n", Encoding.ASCII.GetString(conn.Unread)); // what it wrote, and nothing after
        }
        var failure = await server.Logs.WaitForAsync(e => e.Message.Contains("Take-over handler failed on \"GET /throws HTTP/1.1\""));
        Assert.IsType<InvalidOperationException>(failure.Exception);
        await Wait.UntilAsync(() => server.Server.ConnectionCount == 0, "the connection to be removed");

        await using var next = await server.ConnectAsync();
        await next.SendAsync("GET /after HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal("still serving", (await next.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task A_take_over_handler_that_throws_before_returning_its_task_is_closed_and_logged_the_same_way()
    {
        await using var server = await TestServer.StartAsync(
            TestServer.Zone("/throws", _ => ZoneResult.TakeOver(t => throw new InvalidOperationException("no task at all"))),
            TestServer.Zone("/", c => ZoneResult.Respond(ZoneResponse.Text("still serving"))));
        await using (var conn = await server.ConnectAsync())
        {
            await conn.SendAsync("GET /throws HTTP/1.1\r\nHost: t\r\n\r\n");
            Assert.True(await conn.WaitForCloseAsync(), "the failed take-over's connection stayed open");
            Assert.Empty(conn.Unread); // no response: the socket was the handler's
        }
        var failure = await server.Logs.WaitForAsync(e => e.Message.Contains("Take-over handler failed on \"GET /throws HTTP/1.1\""));
        Assert.Equal("no task at all", failure.Exception?.Message);
        await Wait.UntilAsync(() => server.Server.ConnectionCount == 0, "the connection to be removed");

        await using var next = await server.ConnectAsync();
        await next.SendAsync("GET /after HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal("still serving", (await next.ReadResponseAsync()).BodyText);
    }
}
