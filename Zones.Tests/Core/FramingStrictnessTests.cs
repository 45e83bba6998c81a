using Zones.Tests.Infrastructure;
using Zones.Server;

namespace Zones.Tests.Core;

/// <summary>
/// Issue 12's framing rules over a raw socket: the chunk line and extension limits, trailers that
/// never reach the headers, the absolute-form authority, and when 100 Continue is (not) sent.
/// </summary>
public sealed class FramingStrictnessTests
{
    private const string ChunkedHead = "POST /body HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";

    private static Zone BodyEcho() => TestServer.Zone("/body", async c =>
    {
        var body = await new StreamReader(c.Request.Body).ReadToEndAsync();
        return ZoneResult.Respond(ZoneResponse.Text("got:" + body));
    });

    private static Zone PathEcho() => TestServer.Zone("/", c => ZoneResult.Respond(ZoneResponse.Text("path:" + c.Path)));

    private static async Task AssertRefusedAndClosedAsync(RawConnection conn, int status = 400)
    {
        var response = await conn.ReadResponseAsync();
        Assert.Equal(status, response.Status);
        Assert.Equal("close", response.Headers["Connection"]);
        Assert.True(await conn.WaitForCloseAsync());
    }

    [Fact]
    public async Task Chunk_extensions_are_bounded_in_total_per_body_by_MaxChunkExtensionSize()
    {
        await using var server = await TestServer.StartAsync([BodyEcho()], o => o.Limits.MaxChunkExtensionSize = 20);
        await using var conn = await server.ConnectAsync();
        const string TenBytes = ";ext=12345"; // 10 bytes of extension
        var twoChunks = $"1{TenBytes}\r\na\r\n1{TenBytes}\r\nb\r\n0\r\n\r\n";

        // 20 bytes in one body is the limit, and the count starts again with the next body.
        await conn.SendAsync(ChunkedHead + twoChunks + ChunkedHead + twoChunks);
        Assert.Equal("got:ab", (await conn.ReadResponseAsync()).BodyText);
        Assert.Equal("got:ab", (await conn.ReadResponseAsync()).BodyText);

        // The third extension, on the last chunk, is one byte over: the body is refused.
        await conn.SendAsync(ChunkedHead + $"1{TenBytes}\r\na\r\n1{TenBytes}\r\nb\r\n0;x\r\n\r\n");
        await AssertRefusedAndClosedAsync(conn);
    }

    [Fact]
    public async Task MaxChunkExtensionSize_0_refuses_any_extension_but_not_a_bare_size()
    {
        await using var server = await TestServer.StartAsync([BodyEcho()], o => o.Limits.MaxChunkExtensionSize = 0);
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync(ChunkedHead + "3\r\nabc\r\n0\r\n\r\n" + ChunkedHead + "3;a\r\nabc\r\n0\r\n\r\n");
        Assert.Equal("got:abc", (await conn.ReadResponseAsync()).BodyText);
        await AssertRefusedAndClosedAsync(conn);
    }

    [Theory]
    [InlineData(true)]   // 4096 bytes of size digits (leading zeros are 1*HEXDIG too)
    [InlineData(false)]  // a short size and an extension, 4096 bytes in all
    public async Task A_chunk_line_may_hold_4096_bytes_before_its_CRLF_and_not_one_more(bool leadingZeros)
    {
        static string Line(int length, bool zeros) => zeros ? new string('0', length - 1) + "5" : "5;" + new string('a', length - 2);
        await using var server = await TestServer.StartAsync(BodyEcho());
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync(ChunkedHead + Line(4096, leadingZeros) + "\r\nhello\r\n0\r\n\r\n");
        Assert.Equal("got:hello", (await conn.ReadResponseAsync()).BodyText);
        await conn.SendAsync(ChunkedHead + Line(4097, leadingZeros) + "\r\nhello\r\n0\r\n\r\n");
        await AssertRefusedAndClosedAsync(conn);
    }

    [Fact]
    public async Task An_unfinished_chunk_line_is_refused_as_soon_as_it_passes_the_limit()
    {
        await using var server = await TestServer.StartAsync(BodyEcho());

        // 4096 bytes and the CR: still within the limit, so the server waits for the LF.
        await using (var conn = await server.ConnectAsync())
        {
            await conn.SendAsync(ChunkedHead + "5;" + new string('a', 4094) + "\r");
            Assert.False(await conn.WaitForCloseAsync(TimeSpan.FromMilliseconds(300)));
            Assert.Empty(conn.Unread);
            await conn.SendAsync("\nhello\r\n0\r\n\r\n");
            Assert.Equal("got:hello", (await conn.ReadResponseAsync()).BodyText);
        }

        // One byte more and no end in sight: refused without waiting for the rest.
        await using (var conn = await server.ConnectAsync())
        {
            await conn.SendAsync(ChunkedHead + "5;" + new string('a', 4095) + "\r");
            await AssertRefusedAndClosedAsync(conn);
        }
    }

    [Fact]
    public async Task Fields_that_must_not_come_from_trailers_stay_in_Trailers_and_change_nothing()
    {
        // RFC 9110 §6.5.1: framing, routing, authentication, content and cookie fields.
        string[] forbidden =
        [
            "Content-Length: 40", "Transfer-Encoding: gzip", "Host: evil.example", "Authorization: Basic ZXZpbDpldmls",
            "Content-Type: text/evil", "Content-Encoding: gzip", "Content-Range: bytes 0-1/2", "Trailer: X-Evil",
            "Cookie: session=evil", "Set-Cookie: session=evil",
        ];
        await using var server = await TestServer.StartAsync(
            TestServer.Zone("/body", async c =>
            {
                var request = c.Request;
                var before = string.Join("\n", request.Headers.Select(h => $"{h.Key}: {h.Value}"));
                var body = await new StreamReader(request.Body).ReadToEndAsync();
                var after = string.Join("\n", request.Headers.Select(h => $"{h.Key}: {h.Value}"));
                var trailers = string.Join("\n", request.Trailers.Select(h => $"{h.Key}: {h.Value}"));
                return ZoneResult.Respond(ZoneResponse.Text($"{body}|{request.Host}|{request.ContentLength?.ToString() ?? "-"}|{request.IsChunked}|{before == after}\n{after}\n--\n{trailers}"));
            }),
            PathEcho());
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync(ChunkedHead + "3\r\nabc\r\n0\r\n" + string.Concat(forbidden.Select(f => f + "\r\n")) + "\r\n"
            + "GET /next HTTP/1.1\r\nHost: t\r\n\r\n");

        var response = await conn.ReadResponseAsync();
        Assert.Equal(200, response.Status);
        Assert.Equal("abc|t|-|True|True\nHost: t\nTransfer-Encoding: chunked\n--\n" + string.Join("\n", forbidden), response.BodyText);
        // Had the trailer's Content-Length framed anything, this request would have been eaten as a body.
        Assert.Equal("path:/next", (await conn.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task An_absolute_form_target_whose_authority_differs_from_Host_is_taken_at_its_word()
    {
        await using var server = await TestServer.StartAsync(TestServer.Zone("/", c =>
            ZoneResult.Respond(ZoneResponse.Text($"{c.Request.Host} {c.Request.Headers["Host"]} {c.Path}"))));
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync("GET http://a.example:8080/x?y=1 HTTP/1.1\r\nHost: b.example\r\n\r\n"
            + "GET https://c.example/z HTTP/1.1\r\nHost:\r\n\r\n");
        // The target's authority is Request.Host; the Host header is kept as sent but decides nothing.
        Assert.Equal("a.example:8080 b.example /x", (await conn.ReadResponseAsync()).BodyText);
        Assert.Equal("c.example  /z", (await conn.ReadResponseAsync()).BodyText);
    }

    [Theory]
    [InlineData("Content-Length: 5\r\n", "hello")]
    [InlineData("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\n\r\n")]
    public async Task Expect_100_continue_with_the_body_in_the_same_packet_is_answered_without_a_100(string framing, string body)
    {
        await using var server = await TestServer.StartAsync(BodyEcho(), PathEcho());
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync($"POST /body HTTP/1.1\r\nHost: t\r\n{framing}Expect: 100-continue\r\n\r\n{body}");
        var response = await conn.ReadResponseAsync();
        Assert.Equal(200, response.Status); // the first thing on the wire: no 100 before it
        Assert.Equal("got:hello", response.BodyText);
        Assert.False(response.Headers.ContainsKey("Connection"));
        await conn.SendAsync("GET /after HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal("path:/after", (await conn.ReadResponseAsync()).BodyText);
    }

    [Theory]
    [InlineData("Content-Length: 5\r\n", "hello")]
    [InlineData("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\n\r\n")]
    public async Task Expect_100_continue_without_the_body_still_gets_the_100(string framing, string body)
    {
        await using var server = await TestServer.StartAsync(BodyEcho());
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync($"POST /body HTTP/1.1\r\nHost: t\r\n{framing}Expect: 100-continue\r\n\r\n");
        var interim = await conn.ReadResponseAsync();
        Assert.Equal(100, interim.Status);
        await conn.SendAsync(body);
        Assert.Equal("got:hello", (await conn.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task A_client_that_started_its_body_without_waiting_gets_no_100_either()
    {
        // RFC 9110 §10.1.1: the 100 may be omitted once some of the content has arrived.
        await using var server = await TestServer.StartAsync(BodyEcho());
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync("POST /body HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhe");
        Assert.False(await conn.WaitForCloseAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Empty(conn.Unread);
        await conn.SendAsync("llo");
        var response = await conn.ReadResponseAsync();
        Assert.Equal(200, response.Status);
        Assert.Equal("got:hello", response.BodyText);
    }

    [Fact]
    public void MaxChunkExtensionSize_must_not_be_negative()
    {
        Assert.Contains(new ServerLimits { MaxChunkExtensionSize = -1 }.Validate(), p => p.Contains("MaxChunkExtensionSize", StringComparison.Ordinal));
        Assert.DoesNotContain(new ServerLimits { MaxChunkExtensionSize = 0 }.Validate(), p => p.Contains("MaxChunkExtensionSize", StringComparison.Ordinal));
    }
}
