using Zones.Tests.Infrastructure;

namespace Zones.Tests.Core;

/// <summary>
/// Every kind of malformed or ambiguous request gets its status and a closed connection, and the
/// server keeps serving others. The zone reads the body, so chunked-framing faults are reached.
/// </summary>
public sealed class BadInputTests
{
    private const string H = "Host: t\r\n";

    public static TheoryData<string, string, int> Cases => new()
    {
        { "garbage request line", "GARBAGE\r\n\r\n", 400 },
        { "two spaces in request line", "GET  / HTTP/1.1\r\n" + H + "\r\n", 400 },
        { "request line too long", "GET /" + new string('a', 9000) + " HTTP/1.1\r\n" + H + "\r\n", 414 },
        { "header too large", "GET / HTTP/1.1\r\n" + H + "X-Big: " + new string('b', 40_000) + "\r\n\r\n", 431 },
        { "too many headers", "GET / HTTP/1.1\r\n" + H + string.Concat(Enumerable.Range(0, 120).Select(i => $"X-{i}: v\r\n")) + "\r\n", 431 },
        { "body too large", "POST /body HTTP/1.1\r\n" + H + "Content-Length: 99999999999\r\n\r\n", 413 },
        { "unknown transfer coding", "POST /body HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip\r\n\r\n", 501 },
        { "chunked then identity", "POST /body HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, identity\r\n\r\n", 501 },
        { "xchunked", "POST /body HTTP/1.1\r\n" + H + "Transfer-Encoding: xchunked\r\n\r\n", 501 },
        { "chunked twice", "POST /body HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400 },
        { "content-length with transfer-encoding", "POST /body HTTP/1.1\r\n" + H + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400 },
        { "two transfer-encoding headers", "POST /body HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400 },
        { "conflicting content-lengths", "POST /body HTTP/1.1\r\n" + H + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400 },
        { "repeated content-length", "POST /body HTTP/1.1\r\n" + H + "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 400 },
        { "content-length list", "POST /body HTTP/1.1\r\n" + H + "Content-Length: 3, 3\r\n\r\nabc", 400 },
        { "signed content-length", "POST /body HTTP/1.1\r\n" + H + "Content-Length: +3\r\n\r\nabc", 400 },
        { "negative content-length", "POST /body HTTP/1.1\r\n" + H + "Content-Length: -1\r\n\r\n", 400 },
        { "two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
        { "no host in 1.1", "GET / HTTP/1.1\r\n\r\n", 400 },
        { "host with bad port", "GET / HTTP/1.1\r\nHost: a:99999\r\n\r\n", 400 },
        { "host with letters in port", "GET / HTTP/1.1\r\nHost: a:8o\r\n\r\n", 400 },
        { "invalid method character", "G(T / HTTP/1.1\r\n" + H + "\r\n", 400 },
        { "control character in target", "GET /a\u0001b HTTP/1.1\r\n" + H + "\r\n", 400 },
        { "non-ascii in target", "GET /\u00e9 HTTP/1.1\r\n" + H + "\r\n", 400 },
        { "encoded NUL in path", "GET /a%00b HTTP/1.1\r\n" + H + "\r\n", 400 },
        { "malformed percent-encoding", "GET /a%zz HTTP/1.1\r\n" + H + "\r\n", 400 },
        { "overlong utf-8 dot", "GET /%C0%AE%C0%AE/x HTTP/1.1\r\n" + H + "\r\n", 400 },
        { "target not starting with slash", "GET a/b HTTP/1.1\r\n" + H + "\r\n", 400 },
        { "asterisk with GET", "GET * HTTP/1.1\r\n" + H + "\r\n", 400 },
        { "space in header name", "GET / HTTP/1.1\r\n" + H + "Bad Name: v\r\n\r\n", 400 },
        { "space before colon", "GET / HTTP/1.1\r\nHost : t\r\n\r\n", 400 },
        { "header without colon", "GET / HTTP/1.1\r\n" + H + "NoColon\r\n\r\n", 400 },
        { "empty header name", "GET / HTTP/1.1\r\n" + H + ": v\r\n\r\n", 400 },
        { "NUL in header value", "GET / HTTP/1.1\r\n" + H + "X: a\0b\r\n\r\n", 400 },
        { "control character in header value", "GET / HTTP/1.1\r\n" + H + "X: a\u0007b\r\n\r\n", 400 },
        { "obs-fold", "GET / HTTP/1.1\r\n" + H + "X: a\r\n  continued\r\n\r\n", 400 },
        { "bare CR in header value", "GET / HTTP/1.1\r\n" + H + "X: a\rb\r\n\r\n", 400 },
        { "bare LF line ending", "GET / HTTP/1.1\n" + H + "\r\n", 400 },
        { "malformed version", "GET / HTTP/1.1x\r\n" + H + "\r\n", 400 },
        { "lowercase version", "GET / http/1.1\r\n" + H + "\r\n", 400 },
        { "unsupported version", "GET / HTTP/2.0\r\n" + H + "\r\n", 505 },
        { "unknown expectation", "POST /body HTTP/1.1\r\n" + H + "Content-Length: 1\r\nExpect: teapot\r\n\r\nx", 417 },
        { "transfer-encoding in 1.0", "POST /body HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400 },
        { "chunk size not hex", "POST /body HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400 },
        { "chunk size overflow", "POST /body HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n", 400 },
        { "chunk size line with lone LF", "POST /body HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n", 400 },
        { "chunk extension with lone LF", "POST /body HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n3;ext\nabc\r\n0\r\n\r\n", 400 },
        { "chunk extension with bare CR", "POST /body HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n3;e\rx\r\nabc\r\n0\r\n\r\n", 400 },
        { "chunk data without CRLF", "POST /body HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n", 400 },
        { "trailer with bare LF", "POST /body HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n0\r\nX: y\n\r\n", 400 },
        { "CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 501 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_its_status_and_the_connection_closes(string name, string request, int status)
    {
        await using var server = await TestServer.StartAsync(
            TestServer.Zone("/body", async c =>
            {
                await c.Request.Body.CopyToAsync(Stream.Null);
                return ZoneResult.Respond(ZoneResponse.Text("read"));
            }),
            TestServer.Zone("/", _ => ZoneResult.Respond(ZoneResponse.Text("ok"))));

        await using (var conn = await server.ConnectAsync())
        {
            await conn.SendAsync(request);
            var response = await conn.ReadResponseAsync();
            Assert.True(status == response.Status, $"{name}: expected {status}, got {response.StatusLine}: {response.BodyText}");
            Assert.Equal("close", response.Headers["Connection"]);
            Assert.True(await conn.WaitForCloseAsync(), $"{name}: the connection stayed open");
        }

        // The server is unharmed: a fresh connection is served.
        await using var next = await server.ConnectAsync();
        await next.SendAsync("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal("ok", (await next.ReadResponseAsync()).BodyText);
        Assert.DoesNotContain(server.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task A_request_pipelined_after_a_bad_one_is_never_answered()
    {
        await using var server = await TestServer.StartAsync(TestServer.Zone("/", c => ZoneResult.Respond(ZoneResponse.Text(c.Path))));
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync("GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n");
        var response = await conn.ReadResponseAsync();
        Assert.Equal(400, response.Status);
        Assert.True(await conn.WaitForCloseAsync());
        Assert.DoesNotContain("smuggled", System.Text.Encoding.ASCII.GetString(conn.Unread));
    }
}
