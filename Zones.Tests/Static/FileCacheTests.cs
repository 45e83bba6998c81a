using System.IO.Compression;
using System.Net;
using System.Text;
using Zones.Handlers.Static;

namespace Zones.Tests.Static;

/// <summary>
/// staticfile's file cache: what it holds is served only while a stat still shows the same file,
/// links are walked again within a second, the bounds hold, and the answers are the ones a
/// server without the cache gives.
/// </summary>
public sealed class FileCacheTests : IDisposable
{
    private readonly StaticSite _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task An_edited_file_is_served_new_on_the_next_request()
    {
        var path = _site.Write("page.txt", "first version");
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        Assert.Equal("first version", await client.GetStringAsync("/page.txt"));
        Assert.Equal("first version", await client.GetStringAsync("/page.txt")); // from the cache now

        _site.Write("page.txt", "the second version");
        Assert.Equal("the second version", await client.GetStringAsync("/page.txt"));

        // Same length, new bytes: the modification time tells.
        _site.Write("page.txt", "THE SECOND VERSION");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(3));
        Assert.Equal("THE SECOND VERSION", await client.GetStringAsync("/page.txt"));
    }

    [Fact]
    public async Task A_removed_file_is_not_found_on_the_next_request()
    {
        var path = _site.Write("gone.txt", "here for now");
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        Assert.Equal("here for now", await client.GetStringAsync("/gone.txt"));
        File.Delete(path);
        using var response = await client.GetAsync("/gone.txt");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_cached_file_swapped_for_a_link_out_of_the_root_is_never_served_from_outside()
    {
        // The file inside looks exactly like the secret to a stat (length and date), so only the
        // link walk, made again within a second, can tell them apart.
        var inside = new string('i', StaticSite.SecretContent.Length);
        var path = _site.Write("page.txt", inside);
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(_site.SecretPath));
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        Assert.Equal(inside, await client.GetStringAsync("/page.txt"));

        File.Delete(path);
        File.CreateSymbolicLink(path, _site.SecretPath);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        HttpStatusCode status;
        do
        {
            using var response = await client.GetAsync("/page.txt");
            status = response.StatusCode;
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(StaticSite.SecretContent, body); // at most the bytes held from before the swap
            if (status == HttpStatusCode.OK) Assert.Equal(inside, body);
            await Task.Delay(50);
        }
        while (status == HttpStatusCode.OK && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task A_precompressed_sibling_and_ranges_are_answered_alike_from_the_cache()
    {
        var script = string.Concat(Enumerable.Repeat("console.log('zones');\n", 100));
        _site.Write("app.js", script);
        var gz = _site.Write("app.js.gz", Gzip(script));
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        for (var i = 0; i < 2; i++) // the first fills the cache, the second is served from it
        {
            using var compressed = await client.SendAsync("GET", "/app.js", ("Accept-Encoding", "gzip"));
            Assert.Equal("gzip", compressed.Header("Content-Encoding"));
            Assert.Equal(await File.ReadAllBytesAsync(gz), await compressed.Content.ReadAsByteArrayAsync());
            using var ranged = await client.SendAsync("GET", "/app.js", ("Range", "bytes=8-12"));
            Assert.Equal(HttpStatusCode.PartialContent, ranged.StatusCode);
            Assert.Equal(script[8..13], await ranged.Content.ReadAsStringAsync());
            using var head = await client.SendAsync("HEAD", "/app.js");
            Assert.Equal(script.Length, head.Content.Headers.ContentLength);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task A_file_from_memory_carries_the_validators_a_file_from_disk_does()
    {
        var script = string.Concat(Enumerable.Repeat("console.log('zones');\n", 100));
        _site.Write("app.js", script);
        _site.Write("app.js.gz", Gzip(script));
        await using var cached = await _site.StartAsync();
        await using var uncached = await _site.StartAsync(new StaticFileOptions { CacheMaxEntries = 0 });
        using var fromMemory = cached.CreateClient();
        using var fromDisk = uncached.CreateClient();
        foreach (var coding in new[] { "identity", "gzip" })
        {
            using var disk = await fromDisk.SendAsync("GET", "/app.js", ("Accept-Encoding", coding));
            for (var i = 0; i < 2; i++) // the cache's first answer makes its validators, the second reuses them
            {
                using var memory = await fromMemory.SendAsync("GET", "/app.js", ("Accept-Encoding", coding));
                Assert.Equal((disk.Header("ETag"), disk.Header("Last-Modified")), (memory.Header("ETag"), memory.Header("Last-Modified")));
                using var revalidated = await fromMemory.SendAsync("GET", "/app.js", ("Accept-Encoding", coding), ("If-None-Match", memory.Header("ETag")!));
                Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
            }
        }
    }

    [Fact]
    public void An_entry_formats_each_files_validators_once()
    {
        var file = new FileInfo(_site.Write("v.txt", "validators"));
        var gzip = new FileInfo(_site.Write("v.txt.gz", Gzip("validators")));
        var entry = new FileCache(new StaticFileOptions()).Store(file.FullName, file, null, gzip);
        var plain = entry.ValidatorsOf(entry.File);
        Assert.Same(plain, entry.ValidatorsOf(entry.File));
        Assert.Equal(FileValidators.For(file.Length, file.LastWriteTimeUtc, null), plain);
        var compressed = entry.ValidatorsOf(entry.Gzip!);
        Assert.Equal(FileValidators.For(gzip.Length, gzip.LastWriteTimeUtc, ContentCoding.Gzip), compressed);
        Assert.NotEqual(plain.ETag, compressed.ETag);
    }

    [Fact]
    public void The_cache_holds_bytes_up_to_its_bounds_and_forgets_what_changed()
    {
        var a = new FileInfo(_site.Write("a.bin", new byte[60]));
        var b = new FileInfo(_site.Write("b.bin", new byte[60]));
        var big = new FileInfo(_site.Write("big.bin", new byte[200]));
        var cache = new FileCache(new StaticFileOptions { CacheMaxBytes = 100, CacheMaxFileSize = 100, CacheMaxEntries = 3 });

        Assert.NotNull(cache.Store(a.FullName, a, null, null).FileBytes);
        Assert.Null(cache.Store(b.FullName, b, null, null).FileBytes);     // 60 more would pass 100 bytes: checked, not held
        Assert.Null(cache.Store(big.FullName, big, null, null).FileBytes); // over CacheMaxFileSize
        Assert.Equal((3, 60L), (cache.Count, cache.Bytes));
        Assert.Same(cache.Find(a.FullName, new FileInfo(a.FullName))!.FileBytes, cache.Find(a.FullName, new FileInfo(a.FullName))!.FileBytes);

        var c = new FileInfo(_site.Write("c.bin", new byte[10]));
        cache.Store(c.FullName, c, null, null);
        Assert.Equal(3, cache.Count); // full: served, not kept
        Assert.Null(cache.Find(c.FullName, c));

        File.WriteAllBytes(a.FullName, new byte[61]);
        Assert.Null(cache.Find(a.FullName, new FileInfo(a.FullName))); // another length: forgotten
        Assert.Equal((2, 0L), (cache.Count, cache.Bytes));
    }

    [Fact]
    public void By_default_files_up_to_256_KiB_are_held_in_memory_and_larger_ones_are_left_to_sendfile()
    {
        // 256 KiB is where file bodies start going out with sendfile (SendFileSizes.MinLength):
        // by default no file takes the copy from disk in between.
        var largest = new FileInfo(_site.Write("largest.bin", new byte[256 * 1024]));
        var over = new FileInfo(_site.Write("over.bin", new byte[256 * 1024 + 1]));
        var cache = new FileCache(new StaticFileOptions());

        Assert.Equal(256 * 1024, cache.Store(largest.FullName, largest, null, null).FileBytes?.Length);
        Assert.Null(cache.Store(over.FullName, over, null, null).FileBytes);
        Assert.Equal(256L * 1024, cache.Bytes);
    }

    [Fact]
    public async Task An_entry_stands_for_at_most_a_second()
    {
        var a = new FileInfo(_site.Write("a.txt", "a"));
        var cache = new FileCache(new StaticFileOptions());
        cache.Store(a.FullName, a, null, null);
        Assert.NotNull(cache.Find(a.FullName, new FileInfo(a.FullName)));
        await Task.Delay(TimeSpan.FromMilliseconds(FileCache.RecheckMilliseconds + 100));
        Assert.Null(cache.Find(a.FullName, new FileInfo(a.FullName))); // the caller walks the links again
    }

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal)) gzip.Write(Encoding.UTF8.GetBytes(text));
        return output.ToArray();
    }
}
