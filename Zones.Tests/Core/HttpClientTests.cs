using System.Net;
using System.Text;
using Zones.Handlers;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Core;

/// <summary>The foundation as a real client sees it, over loopback with HttpClient.</summary>
public sealed class HttpClientTests
{
    private static Zone Echo(string prefix = "/echo") => TestServer.Zone(prefix, async c =>
    {
        using var reader = new StreamReader(c.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var trailers = string.Join(",", c.Request.Trailers.Select(t => $"{t.Key}={t.Value}"));
        return ZoneResult.Respond(ZoneResponse.Text($"{c.Request.Method} {body.Length} {body} [{trailers}]"));
    });

    private static Zone ConnectionId() => TestServer.Zone("/conn", c => ZoneResult.Respond(ZoneResponse.Text(c.Request.ConnectionId.ToString())));

    [Fact]
    public async Task Keep_alive_reuses_one_connection_for_sequential_requests()
    {
        await using var server = await TestServer.StartAsync(ConnectionId());
        using var client = server.CreateClient();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add(await client.GetStringAsync("/conn"));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, server.Server.ConnectionCount);
    }

    [Fact]
    public async Task Chunked_upload_is_decoded_for_the_handler()
    {
        await using var server = await TestServer.StartAsync(Echo());
        using var client = server.CreateClient();
        var payload = string.Concat(Enumerable.Repeat("zones-", 5000));
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(payload)));
        var request = new HttpRequestMessage(HttpMethod.Post, "/echo") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"POST {payload.Length} {payload} []", text);
    }

    [Fact]
    public async Task Content_length_upload_is_read_by_the_handler()
    {
        await using var server = await TestServer.StartAsync(Echo());
        using var client = server.CreateClient();
        using var response = await client.PostAsync("/echo", new StringContent("héllo wörld"));
        Assert.Equal("POST 11 héllo wörld []", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Head_has_the_headers_and_length_of_get_but_no_body()
    {
        await using var server = await TestServer.StartAsync(TestServer.Zone("/t", _ => ZoneResult.Respond(ZoneResponse.Text("twelve bytes"))));
        using var client = server.CreateClient();
        using var get = await client.GetAsync("/t");
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/t"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(12, get.Content.Headers.ContentLength);
        Assert.Equal(12, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
    }

    [Fact]
    public async Task Expect_100_continue_gets_the_body_after_the_interim_response()
    {
        await using var server = await TestServer.StartAsync(Echo());
        using var client = server.CreateClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) });
        var request = new HttpRequestMessage(HttpMethod.Post, "/echo") { Content = new StringContent("after continue") };
        request.Headers.ExpectContinue = true;
        var started = DateTime.UtcNow;
        using var response = await client.SendAsync(request);
        Assert.Equal("POST 14 after continue []", await response.Content.ReadAsStringAsync());
        // Had the server not sent 100, the client would have waited out its 30 s timeout.
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task An_empty_zone_table_answers_501()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/anything");
        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
    }

    [Fact]
    public async Task Notfound_answers_404()
    {
        await using var server = await TestServer.StartAsync(new Zone("/", new NotFoundHandler()));
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/missing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("404 Not Found\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_throwing_handler_gives_500_without_details_and_the_server_goes_on()
    {
        await using var server = await TestServer.StartAsync(
            TestServer.Zone("/boom", ZoneResult (_) => throw new InvalidOperationException("secret stack detail")),
            TestServer.Zone("/ok", _ => ZoneResult.Respond(ZoneResponse.Text("fine"))));
        using var client = server.CreateClient();
        using var boom = await client.GetAsync("/boom?x=1");
        var body = await boom.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, boom.StatusCode);
        Assert.DoesNotContain("secret", body);
        Assert.DoesNotContain("InvalidOperationException", body);
        Assert.Equal("fine", await client.GetStringAsync("/ok"));
        var logged = await server.Logs.WaitForAsync(e => e.Exception is InvalidOperationException);
        Assert.Contains("GET /boom?x=1 HTTP/1.1", logged.Message);
    }

    [Fact]
    public async Task Responses_carry_date_server_and_utf8_text()
    {
        await using var server = await TestServer.StartAsync(TestServer.Zone("/t", _ => ZoneResult.Respond(ZoneResponse.Text("ünïcödé ✓"))));
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/t");
        Assert.NotNull(response.Headers.Date);
        Assert.True((DateTimeOffset.UtcNow - response.Headers.Date!.Value).Duration() < TimeSpan.FromMinutes(1));
        Assert.Equal("Zones", response.Headers.Server.ToString());
        Assert.Equal("utf-8", response.Content.Headers.ContentType!.CharSet);
        Assert.Equal("ünïcödé ✓", Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task A_writer_body_is_sent_chunked_and_arrives_whole()
    {
        await using var server = await TestServer.StartAsync(TestServer.Zone("/w", _ => ZoneResult.Respond(ZoneResponse.Write(async (stream, ct) =>
        {
            for (var i = 0; i < 100; i++) await stream.WriteAsync(Encoding.ASCII.GetBytes($"line {i}\n"), ct);
        }, "text/plain"))));
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/w");
        Assert.True(response.Headers.TransferEncodingChunked);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(100, lines.Length);
        Assert.Equal("line 99", lines[^1]);
    }

    [Fact]
    public async Task A_file_range_is_streamed_with_its_length()
    {
        var path = Path.GetTempFileName();
        await File.WriteAllBytesAsync(path, Enumerable.Range(0, 200_000).Select(i => (byte)(i % 251)).ToArray());
        try
        {
            await using var server = await TestServer.StartAsync(
                TestServer.Zone("/whole", _ => ZoneResult.Respond(ZoneResponse.File(path))),
                TestServer.Zone("/part", _ => ZoneResult.Respond(ZoneResponse.File(path, offset: 1000, length: 5000))));
            using var client = server.CreateClient();
            var whole = await client.GetByteArrayAsync("/whole");
            var part = await client.GetByteArrayAsync("/part");
            Assert.Equal(await File.ReadAllBytesAsync(path), whole);
            Assert.Equal(whole.AsSpan(1000, 5000).ToArray(), part);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_stream_body_without_length_is_chunked_and_disposed()
    {
        var stream = new TrackingStream(Encoding.ASCII.GetBytes(new string('s', 70_000)));
        await using var server = await TestServer.StartAsync(TestServer.Zone("/s", _ => ZoneResult.Respond(ZoneResponse.Stream(stream, "text/plain"))));
        using var client = server.CreateClient();
        var text = await client.GetStringAsync("/s");
        Assert.Equal(70_000, text.Length);
        // The body is disposed right after its last chunk is flushed, so the client can be a moment ahead.
        await Wait.UntilAsync(() => stream.Disposed, "the body stream to be disposed");
    }

    [Fact]
    public async Task A_missing_file_body_becomes_404_not_500()
    {
        await using var server = await TestServer.StartAsync(TestServer.Zone("/f", _ => ZoneResult.Respond(ZoneResponse.File("/no/such/file"))));
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/f");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Provisional_headers_from_an_earlier_handler_reach_the_response()
    {
        await using var server = await TestServer.StartAsync(
            TestServer.Zone("/", c => ZoneResult.Next(c.State.WithResponseHeader("X-From-State", "yes").WithResponseHeader("Content-Type", "text/x-state"))),
            TestServer.Zone("/", _ => ZoneResult.Respond(new ZoneResponse(200, new BytesBody("abc"u8.ToArray())))));
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/x");
        Assert.Equal("yes", response.Headers.GetValues("X-From-State").Single());
        Assert.Equal("text/x-state", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_body_larger_than_the_limit_is_refused_with_413()
    {
        await using var server = await TestServer.StartAsync([Echo()], o => o.Limits.MaxRequestBodySize = 1000);
        using var client = server.CreateClient();
        using var declared = await client.PostAsync("/echo", new ByteArrayContent(new byte[2000]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);

        using var client2 = server.CreateClient();
        var chunked = new HttpRequestMessage(HttpMethod.Post, "/echo") { Content = new StreamContent(new MemoryStream(new byte[5000])) };
        chunked.Headers.TransferEncodingChunked = true;
        using var streamed = await client2.SendAsync(chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
    }

    [Fact]
    public async Task Access_log_has_one_line_per_request()
    {
        await using var server = await TestServer.StartAsync(TestServer.Zone("/t", _ => ZoneResult.Respond(ZoneResponse.Text("12345"))));
        using var client = server.CreateClient();
        await client.GetStringAsync("/t?q=1");
        var line = await server.Logs.WaitForAsync(e => e.Category == "Zones.Access");
        Assert.Matches(@"^127\.0\.0\.1:\d+ - ""GET /t\?q=1 HTTP/1\.1"" 200 5 \d+\.\dms$", line.Message);
    }

    [Fact]
    public async Task Requests_the_server_refuses_are_in_the_access_log_too()
    {
        await using var server = await TestServer.StartAsync([TestServer.Zone("/t", _ => ZoneResult.Respond(ZoneResponse.Text("12345")))],
            o => o.Limits.MaxRequestBodySize = 10);
        await using (var raw = await server.ConnectAsync())
        {
            // Unparseable: no request line to name.
            await raw.SendAsync("GET /t HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n");
            Assert.Equal(400, (await raw.ReadResponseAsync()).Status);
        }
        var refused = await server.Logs.WaitForAsync(e => e.Category == "Zones.Access" && e.Message.Contains(" 400 "));
        Assert.Matches(@"^127\.0\.0\.1:\d+ - ""-"" 400 \d+ ", refused.Message);

        await using (var raw = await server.ConnectAsync())
        {
            // Parsed, then refused for its declared size.
            await raw.SendAsync("POST /t HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n");
            Assert.Equal(413, (await raw.ReadResponseAsync()).Status);
        }
        var tooLarge = await server.Logs.WaitForAsync(e => e.Category == "Zones.Access" && e.Message.Contains(" 413 "));
        Assert.Matches(@"^127\.0\.0\.1:\d+ - ""POST /t HTTP/1\.1"" 413 \d+ ", tooLarge.Message);
    }

    [Fact]
    public async Task Header_values_with_CR_or_LF_are_refused_when_set()
    {
        var response = new ZoneResponse();
        Assert.Throws<ArgumentException>(() => response.Headers["X-Bad"] = "a\r\nSet-Cookie: evil=1");
        Assert.Throws<ArgumentException>(() => response.Headers.Add("X-Bad", "a\nb"));
        Assert.Throws<ArgumentException>(() => response.Headers.Add("Bad Name", "v"));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Provisional_headers_with_CR_or_LF_are_refused_however_they_are_set_and_never_sent()
    {
        var state = new ZoneState(HttpRequest.Parse("GET / HTTP/1.1\r\nHost: t\r\n\r\n"u8.ToArray()));
        Assert.Throws<ArgumentException>(() => state.WithResponseHeader("X-Bad", "a\r\nEvil: 1"));
        Assert.Throws<ArgumentException>(() => state with { ResponseHeaders = [new("X-Bad", "a\r\nEvil: 1")] });
        Assert.Throws<ArgumentException>(() => state with { ResponseHeaders = state.ResponseHeaders.Add(new("X-Bad", "a\0b")) });

        // Through the wire: a handler that tries it gets its request answered 500, with nothing injected.
        await using var server = await TestServer.StartAsync(
            TestServer.Zone("/", c => ZoneResult.Next(c.State with { ResponseHeaders = [new("X-Bad", "a\r\nEvil: 1")] })),
            TestServer.Zone("/", _ => ZoneResult.Respond(ZoneResponse.Text("reached"))));
        await using var raw = await server.ConnectAsync();
        await raw.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        var answer = await raw.ReadResponseAsync();
        Assert.Equal(500, answer.Status);
        Assert.False(answer.Headers.ContainsKey("Evil"));
    }

    private sealed class TrackingStream(byte[] data) : MemoryStream(data)
    {
        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
