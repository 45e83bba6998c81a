using System.IO.Compression;
using System.Text;
using Zones.Tests.Infrastructure;
using Zones.Handlers.Static;

namespace Zones.Tests.Static;

/// <summary>staticfile on the wire: what HttpClient would smooth over (HEAD, framing, pipelining, HTTP/1.0).</summary>
public sealed class StaticRawSocketTests : IDisposable
{
    private readonly StaticSite _site = new();
    private readonly string _text = string.Concat(Enumerable.Range(0, 300).Select(i => $"row {i:D5}\n")); // 3000 bytes

    public StaticRawSocketTests() => _site.Write("data.txt", _text);

    public void Dispose() => _site.Dispose();

    [Theory]
    [InlineData("")]
    [InlineData("Range: bytes=10-19\r\n")]
    [InlineData("Range: bytes=0-1,100-101\r\n")]
    [InlineData("Accept-Encoding: gzip\r\n")]
    public async Task Head_answers_with_the_headers_of_get_and_no_body(string extra)
    {
        await using var server = await _site.StartAsync(new StaticFileOptions { Compress = true });
        await using var connection = await server.ConnectAsync();
        await connection.SendAsync($"GET /data.txt HTTP/1.1\r\nHost: t\r\n{extra}\r\n");
        var get = await connection.ReadResponseAsync();
        await connection.SendAsync($"HEAD /data.txt HTTP/1.1\r\nHost: t\r\n{extra}\r\n");
        var head = await connection.ReadResponseAsync(head: true);

        Assert.Equal(get.Status, head.Status);
        // The same fields with the same values, but for the date and a multipart boundary, which are new each time.
        static IEnumerable<KeyValuePair<string, string>> Comparable(RawResponse r) =>
            r.HeaderList.Where(h => h.Key != "Date" && !h.Value.StartsWith("multipart/byteranges"));
        Assert.Equal(Comparable(get), Comparable(head));
        // Nothing followed the HEAD response: the next request on the connection is answered cleanly.
        await connection.SendAsync("GET /data.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=0-3\r\n\r\n");
        var next = await connection.ReadResponseAsync();
        Assert.Equal(206, next.Status);
        Assert.Equal("row ", next.BodyText);
    }

    [Fact]
    public async Task Pipelined_conditional_and_range_requests_are_answered_in_order()
    {
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        var etag = (await client.GetAsync("/data.txt")).Headers.ETag!.Tag;
        await using var connection = await server.ConnectAsync();
        await connection.SendAsync(
            $"GET /data.txt HTTP/1.1\r\nHost: t\r\nIf-None-Match: {etag}\r\n\r\n" +
            "GET /data.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=-4\r\n\r\n" +
            "GET /data.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=9999-\r\n\r\n" +
            "GET /data.txt HTTP/1.1\r\nHost: t\r\nIf-Match: \"nope\"\r\n\r\n" +
            "GET /data.txt HTTP/1.1\r\nHost: t\r\n\r\n");
        var notModified = await connection.ReadResponseAsync();
        Assert.Equal(304, notModified.Status);
        Assert.False(notModified.Headers.ContainsKey("Content-Length"));
        var tail = await connection.ReadResponseAsync();
        Assert.Equal(206, tail.Status);
        Assert.Equal("bytes 2996-2999/3000", tail.Headers["Content-Range"]);
        Assert.Equal("299\n", tail.BodyText);
        var unsatisfiable = await connection.ReadResponseAsync();
        Assert.Equal(416, unsatisfiable.Status);
        Assert.Equal("bytes */3000", unsatisfiable.Headers["Content-Range"]);
        Assert.Equal(412, (await connection.ReadResponseAsync()).Status);
        var whole = await connection.ReadResponseAsync();
        Assert.Equal(200, whole.Status);
        Assert.Equal(_text, whole.BodyText);
    }

    [Fact]
    public async Task Http10_gets_compressed_output_delimited_by_close()
    {
        _site.Write("big.txt", string.Concat(Enumerable.Repeat(_text, 10)));
        await using var server = await _site.StartAsync(new StaticFileOptions { Compress = true });
        await using var connection = await server.ConnectAsync();
        await connection.SendAsync("GET /big.txt HTTP/1.0\r\nAccept-Encoding: gzip\r\n\r\n");
        var response = await connection.ReadResponseAsync();
        Assert.Equal(200, response.Status);
        Assert.Equal("gzip", response.Headers["Content-Encoding"]);
        Assert.False(response.Headers.ContainsKey("Transfer-Encoding"));
        Assert.False(response.Headers.ContainsKey("Content-Length"));
        using var gzip = new GZipStream(new MemoryStream(response.Body), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        Assert.Equal(string.Concat(Enumerable.Repeat(_text, 10)), await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task A_chunked_compressed_response_is_framed_correctly_and_the_connection_stays_usable()
    {
        _site.Write("big.txt", string.Concat(Enumerable.Repeat(_text, 50)));
        await using var server = await _site.StartAsync(new StaticFileOptions { Compress = true });
        await using var connection = await server.ConnectAsync();
        await connection.SendAsync("GET /big.txt HTTP/1.1\r\nHost: t\r\nAccept-Encoding: br\r\n\r\nGET /data.txt HTTP/1.1\r\nHost: t\r\n\r\n");
        var compressed = await connection.ReadResponseAsync();
        Assert.Equal("chunked", compressed.Headers["Transfer-Encoding"]);
        using var brotli = new BrotliStream(new MemoryStream(compressed.Body), CompressionMode.Decompress);
        using var reader = new StreamReader(brotli, Encoding.UTF8);
        Assert.Equal(string.Concat(Enumerable.Repeat(_text, 50)), await reader.ReadToEndAsync());
        Assert.Equal(_text, (await connection.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task A_repeated_range_header_is_ignored()
    {
        await using var server = await _site.StartAsync();
        await using var connection = await server.ConnectAsync();
        await connection.SendAsync("GET /data.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=0-1\r\nRange: bytes=5-6\r\n\r\n");
        var response = await connection.ReadResponseAsync();
        Assert.Equal(200, response.Status);
        Assert.Equal(3000, response.Body.Length);
    }

    [Fact]
    public async Task A_range_list_that_asks_for_the_file_many_times_sends_it_once()
    {
        await using var server = await _site.StartAsync();
        await using var connection = await server.ConnectAsync();
        var ranges = string.Join(",", Enumerable.Repeat("0-", 50));
        await connection.SendAsync($"GET /data.txt HTTP/1.1\r\nHost: t\r\nRange: bytes={ranges}\r\n\r\n");
        var response = await connection.ReadResponseAsync();
        Assert.Equal(206, response.Status);
        Assert.Equal("bytes 0-2999/3000", response.Headers["Content-Range"]);
        Assert.Equal(3000, response.Body.Length);
    }
}
