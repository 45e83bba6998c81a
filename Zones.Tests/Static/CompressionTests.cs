using System.IO.Compression;
using System.Net;
using System.Text;
using Zones.Handlers.Static;

namespace Zones.Tests.Static;

/// <summary>Precompressed siblings and on-the-fly compression, chosen by Accept-Encoding.</summary>
public sealed class CompressionTests : IDisposable
{
    private readonly StaticSite _site = new();
    private readonly string _script = string.Concat(Enumerable.Range(0, 400).Select(i => $"console.log('line {i}');\n"));

    public CompressionTests() => _site.Write("app.js", _script);

    public void Dispose() => _site.Dispose();

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize)) gzip.Write(Encoding.UTF8.GetBytes(text));
        return output.ToArray();
    }

    private static byte[] Brotli(string text)
    {
        using var output = new MemoryStream();
        using (var brotli = new BrotliStream(output, CompressionLevel.SmallestSize)) brotli.Write(Encoding.UTF8.GetBytes(text));
        return output.ToArray();
    }

    private static string Decode(byte[] body, string? coding)
    {
        using Stream input = coding switch
        {
            "br" => new BrotliStream(new MemoryStream(body), CompressionMode.Decompress),
            "gzip" => new GZipStream(new MemoryStream(body), CompressionMode.Decompress),
            null => new MemoryStream(body),
            _ => throw new InvalidOperationException(coding),
        };
        using var reader = new StreamReader(input);
        return reader.ReadToEnd();
    }

    private void WriteSiblings()
    {
        var br = _site.Write("app.js.br", Brotli(_script));
        var gz = _site.Write("app.js.gz", Gzip(_script));
        var time = File.GetLastWriteTimeUtc(Path.Combine(_site.Root, "app.js"));
        File.SetLastWriteTimeUtc(br, time);
        File.SetLastWriteTimeUtc(gz, time);
    }

    [Theory]
    [InlineData("gzip, deflate, br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("br;q=0.4, gzip;q=0.9", "gzip")]
    [InlineData("identity", null)]
    [InlineData("", null)]
    [InlineData("deflate", null)]
    public async Task A_precompressed_sibling_is_chosen_by_accept_encoding(string acceptEncoding, string? coding)
    {
        WriteSiblings();
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        using var response = await client.SendAsync("GET", "/app.js", acceptEncoding.Length > 0 ? [("Accept-Encoding", acceptEncoding)] : []);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(coding, response.Header("Content-Encoding"));
        Assert.Equal("Accept-Encoding", response.Header("Vary"));
        Assert.Equal("text/javascript; charset=utf-8", response.Header("Content-Type"));
        var body = await response.Content.ReadAsByteArrayAsync();
        var file = coding switch { "br" => "app.js.br", "gzip" => "app.js.gz", _ => "app.js" };
        Assert.Equal(new FileInfo(Path.Combine(_site.Root, file)).Length, response.Content.Headers.ContentLength);
        Assert.Equal(_script, Decode(body, coding));
        Assert.False(response.Headers.ETag!.IsWeak); // siblings are real files: strong tags, ranges work
    }

    [Fact]
    public async Task Each_representation_has_its_own_tag_and_ranges_apply_to_the_bytes_sent()
    {
        WriteSiblings();
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        var identity = (await client.GetAsync("/app.js")).Header("ETag");
        var gzipTag = (await client.SendAsync("GET", "/app.js", ("Accept-Encoding", "gzip"))).Header("ETag");
        Assert.NotEqual(identity, gzipTag);

        using var ranged = await client.SendAsync("GET", "/app.js", ("Accept-Encoding", "gzip"), ("Range", "bytes=0-9"));
        Assert.Equal(HttpStatusCode.PartialContent, ranged.StatusCode);
        Assert.Equal("gzip", ranged.Header("Content-Encoding"));
        var gz = await File.ReadAllBytesAsync(Path.Combine(_site.Root, "app.js.gz"));
        Assert.Equal($"bytes 0-9/{gz.Length}", ranged.Header("Content-Range"));
        Assert.Equal(gz[..10], await ranged.Content.ReadAsByteArrayAsync());

        using var notModified = await client.SendAsync("GET", "/app.js", ("Accept-Encoding", "gzip"), ("If-None-Match", gzipTag!));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal("Accept-Encoding", notModified.Header("Vary"));
    }

    [Fact]
    public async Task A_stale_sibling_is_ignored()
    {
        WriteSiblings();
        File.SetLastWriteTimeUtc(Path.Combine(_site.Root, "app.js.gz"), DateTime.UtcNow.AddDays(-1));
        File.SetLastWriteTimeUtc(Path.Combine(_site.Root, "app.js.br"), DateTime.UtcNow.AddDays(-1));
        File.SetLastWriteTimeUtc(Path.Combine(_site.Root, "app.js"), DateTime.UtcNow);
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        using var response = await client.SendAsync("GET", "/app.js", ("Accept-Encoding", "gzip, br"));
        Assert.Null(response.Header("Content-Encoding"));
        Assert.Equal(_script, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Siblings_are_not_looked_for_when_precompressed_is_off()
    {
        WriteSiblings();
        await using var server = await _site.StartAsync(new StaticFileOptions { Precompressed = false });
        using var client = server.CreateClient();
        using var response = await client.SendAsync("GET", "/app.js", ("Accept-Encoding", "gzip, br"));
        Assert.Null(response.Header("Content-Encoding"));
        Assert.Null(response.Header("Vary"));
    }

    [Theory]
    [InlineData("gzip", "gzip")]
    [InlineData("br", "br")]
    [InlineData("gzip, deflate, br, zstd", "br")]
    public async Task Compress_encodes_text_on_the_fly(string acceptEncoding, string coding)
    {
        await using var server = await _site.StartAsync(new StaticFileOptions { Compress = true });
        using var client = server.CreateClient();
        using var response = await client.SendAsync("GET", "/app.js", ("Accept-Encoding", acceptEncoding));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(coding, response.Header("Content-Encoding"));
        Assert.Equal("Accept-Encoding", response.Header("Vary"));
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal("text/javascript; charset=utf-8", response.Header("Content-Type"));
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(body.Length < _script.Length / 2, $"{body.Length} bytes is hardly compressed");
        Assert.Equal(_script, Decode(body, coding));
        // Output made afresh is not byte-stable: a weak tag, no Last-Modified, no ranges advertised.
        Assert.True(response.Headers.ETag!.IsWeak);
        Assert.Null(response.Header("Last-Modified"));
        Assert.Null(response.Header("Accept-Ranges"));
    }

    [Fact]
    public async Task An_automatically_decompressing_client_gets_the_original_text()
    {
        await using var server = await _site.StartAsync(new StaticFileOptions { Compress = true });
        using var client = server.CreateClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All });
        Assert.Equal(_script, await client.GetStringAsync("/app.js"));
    }

    [Fact]
    public async Task The_weak_tag_of_compressed_output_revalidates_with_304()
    {
        await using var server = await _site.StartAsync(new StaticFileOptions { Compress = true });
        using var client = server.CreateClient();
        var etag = (await client.SendAsync("GET", "/app.js", ("Accept-Encoding", "gzip"))).Header("ETag")!;
        using var response = await client.SendAsync("GET", "/app.js", ("Accept-Encoding", "gzip"), ("If-None-Match", etag));
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Fact]
    public async Task A_range_request_gets_identity_bytes_even_when_compression_would_apply()
    {
        await using var server = await _site.StartAsync(new StaticFileOptions { Compress = true });
        using var client = server.CreateClient();
        using var response = await client.SendAsync("GET", "/app.js", ("Accept-Encoding", "gzip, br"), ("Range", "bytes=0-19"));
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Null(response.Header("Content-Encoding"));
        Assert.Equal("Accept-Encoding", response.Header("Vary"));
        Assert.Equal(_script[..20], await response.Content.ReadAsStringAsync());

        // A tag or date taken from a compressed response can never select identity bytes to resume it.
        var compressedTag = (await client.SendAsync("GET", "/app.js", ("Accept-Encoding", "gzip"))).Header("ETag")!;
        using var resumed = await client.SendAsync("GET", "/app.js", ("Accept-Encoding", "gzip"), ("Range", "bytes=100-"), ("If-Range", compressedTag));
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
    }

    [Fact]
    public async Task Small_files_and_compressed_formats_are_sent_as_they_are()
    {
        _site.Write("small.css", "body{}");
        _site.Write("image.png", new byte[5000]);
        await using var server = await _site.StartAsync(new StaticFileOptions { Compress = true });
        using var client = server.CreateClient();
        using var small = await client.SendAsync("GET", "/small.css", ("Accept-Encoding", "gzip"));
        Assert.Null(small.Header("Content-Encoding"));
        Assert.Null(small.Header("Vary"));
        using var image = await client.SendAsync("GET", "/image.png", ("Accept-Encoding", "gzip"));
        Assert.Null(image.Header("Content-Encoding"));
        Assert.Equal(5000, image.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task A_client_without_accept_encoding_gets_identity_with_vary()
    {
        await using var server = await _site.StartAsync(new StaticFileOptions { Compress = true });
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/app.js");
        Assert.Null(response.Header("Content-Encoding"));
        Assert.Equal("Accept-Encoding", response.Header("Vary"));
        Assert.Equal(_script.Length, response.Content.Headers.ContentLength);
    }
}
