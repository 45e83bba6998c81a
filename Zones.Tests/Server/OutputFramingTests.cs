using System.Buffers;
using Microsoft.Extensions.Logging;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Server;

/// <summary>
/// The output owner counts every body against its declared Content-Length: a short body closes
/// the connection after it (the client could not find the next response), a long one is refused.
/// </summary>
public sealed class OutputFramingTests
{
    /// <summary>Declares <paramref name="declared"/> bytes and writes <paramref name="written"/> straight to the raw pipe.</summary>
    private sealed class LyingBody(long declared, int written) : ResponseBody
    {
        public override long? Length => declared;

        public override ValueTask WriteAsync(ResponseBodyWriter writer, CancellationToken cancellationToken)
        {
            var pipe = writer.Pipe ?? throw new InvalidOperationException("a body of known length gets the raw pipe");
            pipe.Write(new byte[written]);
            return default;
        }
    }

    private static Task<TestServer> StartAsync(long declared, int written) =>
        TestServer.StartAsync(
            TestServer.Zone("/lie", _ => ZoneResult.Respond(new ZoneResponse(200, new LyingBody(declared, written)))),
            TestServer.Zone("/ok", _ => ZoneResult.Respond(ZoneResponse.Text("ok"))));

    [Fact]
    public async Task A_body_shorter_than_its_length_closes_the_connection_and_the_pipelined_request_is_not_answered()
    {
        await using var server = await StartAsync(declared: 100, written: 40);
        await using var connection = await server.ConnectAsync();
        await connection.SendAsync("GET /lie HTTP/1.1\r\nHost: t\r\n\r\nGET /ok HTTP/1.1\r\nHost: t\r\n\r\n");

        var head = await connection.ReadHeadAsync();
        Assert.StartsWith("HTTP/1.1 200", head);
        Assert.Contains("Content-Length: 100", head);
        var rest = await connection.ReadToEndAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.Equal(40, rest.Length); // what was written, then the close; never the next response
        var warning = await server.Logs.WaitForAsync(e => e.Message.Contains("sent 40 of the 100 body bytes"));
        Assert.Equal(LogLevel.Warning, warning.Level);
    }

    [Fact]
    public async Task A_body_longer_than_its_length_is_cut_off_at_the_declared_length()
    {
        await using var server = await StartAsync(declared: 10, written: 4000);
        await using var connection = await server.ConnectAsync();
        await connection.SendAsync("GET /lie HTTP/1.1\r\nHost: t\r\n\r\nGET /ok HTTP/1.1\r\nHost: t\r\n\r\n");

        var head = await connection.ReadHeadAsync();
        Assert.Contains("Content-Length: 10", head);
        var rest = await connection.ReadToEndAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.True(rest.Length <= 10, $"{rest.Length} body bytes went out past a Content-Length of 10");
        await server.Logs.WaitForAsync(e => e.Exception?.Message.Contains("longer than its declared length of 10 bytes") == true);
    }

    [Fact]
    public async Task A_body_of_exactly_its_length_keeps_the_connection()
    {
        await using var server = await StartAsync(declared: 64, written: 64);
        await using var connection = await server.ConnectAsync();
        await connection.SendAsync("GET /lie HTTP/1.1\r\nHost: t\r\n\r\nGET /ok HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal(64, (await connection.ReadResponseAsync()).Body.Length);
        Assert.Equal("ok", (await connection.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task A_head_cut_short_after_its_request_line_is_answered_400_and_one_before_it_closes_quietly()
    {
        await using var server = await TestServer.StartAsync(TestServer.Zone("/", _ => ZoneResult.Respond(ZoneResponse.Text("x"))));
        await using (var withLine = await server.ConnectAsync())
        {
            await withLine.SendAsync("GET /hello HTTP/1.1\r\nHost: localhost");
            withLine.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            var response = await withLine.ReadResponseAsync();
            Assert.Equal(400, response.Status);
            Assert.Equal("close", response.Headers["Connection"]);
            Assert.True(await withLine.WaitForCloseAsync());
        }
        await using (var withoutLine = await server.ConnectAsync())
        {
            await withoutLine.SendAsync("GET /hel");
            withoutLine.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            Assert.Empty(await withoutLine.ReadToEndAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token));
        }
        await server.Logs.WaitForAsync(e => e.Message.Contains("closed before sending a whole request line") && e.Level == LogLevel.Debug);
        Assert.DoesNotContain(server.Logs.Entries, e => e.Level >= LogLevel.Error);
    }
}
