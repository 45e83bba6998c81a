using System.Net;
using System.Text;
using Zones.Handlers.Static;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Static;

/// <summary>staticfile through HttpClient: validators, conditional requests, ranges, methods.</summary>
public sealed class StaticFileTests : IDisposable
{
    private readonly StaticSite _site = new();
    private readonly string _text = string.Concat(Enumerable.Range(0, 200).Select(i => $"line {i:D4}\n")); // 2000 bytes

    public StaticFileTests() => _site.Write("doc.txt", _text);

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task A_file_comes_with_its_type_validators_and_accept_ranges()
    {
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/doc.txt");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_text, await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; charset=utf-8", response.Header("Content-Type"));
        Assert.Equal(2000, response.Content.Headers.ContentLength);
        Assert.Equal("bytes", response.Header("Accept-Ranges"));
        var info = new FileInfo(Path.Combine(_site.Root, "doc.txt"));
        Assert.Equal(EntityTag.ForFile(2000, info.LastWriteTimeUtc), response.Header("ETag"));
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.Equal(HttpDate.Format(info.LastWriteTimeUtc), response.Header("Last-Modified"));
        Assert.Null(response.Header("Cache-Control")); // none unless configured
        Assert.Null(response.Header("Vary"));          // no sibling, no compression: nothing varies
    }

    [Fact]
    public async Task Cache_control_is_sent_when_configured()
    {
        await using var server = await _site.StartAsync(new StaticFileOptions { CacheControl = "public, max-age=60" });
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/doc.txt");
        Assert.Equal("public, max-age=60", response.Header("Cache-Control"));
    }

    [Fact]
    public async Task The_etag_changes_when_the_file_changes()
    {
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        var before = (await client.GetAsync("/doc.txt")).Header("ETag");
        _site.Write("doc.txt", _text + "more");
        File.SetLastWriteTimeUtc(Path.Combine(_site.Root, "doc.txt"), DateTime.UtcNow.AddSeconds(5));
        using var after = await client.SendAsync("GET", "/doc.txt", ("If-None-Match", before!));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(before, after.Header("ETag"));
        Assert.EndsWith("more", await after.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("\"nope\", {0}")]
    [InlineData("W/{0}")]          // weak comparison
    [InlineData("*")]
    public async Task If_none_match_that_matches_gives_304_without_a_body(string template)
    {
        await using var server = await _site.StartAsync(new StaticFileOptions { CacheControl = "no-cache" });
        using var client = server.CreateClient();
        var etag = (await client.GetAsync("/doc.txt")).Header("ETag")!;
        using var response = await client.SendAsync("GET", "/doc.txt", ("If-None-Match", string.Format(template, etag)));
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, response.Header("ETag"));
        Assert.Equal("no-cache", response.Header("Cache-Control"));
        Assert.NotNull(response.Header("Last-Modified"));
    }

    [Fact]
    public async Task If_none_match_that_does_not_match_sends_the_file_even_with_a_later_if_modified_since()
    {
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        using var response = await client.SendAsync("GET", "/doc.txt",
            ("If-None-Match", "\"other\""), ("If-Modified-Since", HttpDate.Format(DateTimeOffset.UtcNow.AddDays(1))));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task If_modified_since_compares_whole_seconds()
    {
        var path = Path.Combine(_site.Root, "doc.txt");
        var modified = new DateTime(2024, 3, 1, 10, 20, 30, 700, DateTimeKind.Utc); // sub-second part must not matter
        File.SetLastWriteTimeUtc(path, modified);
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();

        async Task<HttpStatusCode> Status(string date) =>
            (await client.SendAsync("GET", "/doc.txt", ("If-Modified-Since", date))).StatusCode;

        Assert.Equal(HttpStatusCode.NotModified, await Status("Fri, 01 Mar 2024 10:20:30 GMT"));
        Assert.Equal(HttpStatusCode.NotModified, await Status("Fri, 01 Mar 2024 10:20:31 GMT"));
        Assert.Equal(HttpStatusCode.NotModified, await Status("Friday, 01-Mar-24 10:20:30 GMT"));
        Assert.Equal(HttpStatusCode.OK, await Status("Fri, 01 Mar 2024 10:20:29 GMT"));
        Assert.Equal(HttpStatusCode.OK, await Status("not a date"));
    }

    [Fact]
    public async Task If_match_and_if_unmodified_since_fail_with_412()
    {
        var path = Path.Combine(_site.Root, "doc.txt");
        File.SetLastWriteTimeUtc(path, new DateTime(2024, 3, 1, 10, 20, 30, DateTimeKind.Utc));
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        var etag = (await client.GetAsync("/doc.txt")).Header("ETag")!;

        async Task<HttpStatusCode> Status(params (string, string)[] headers) => (await client.SendAsync("GET", "/doc.txt", headers)).StatusCode;

        Assert.Equal(HttpStatusCode.PreconditionFailed, await Status(("If-Match", "\"other\"")));
        Assert.Equal(HttpStatusCode.PreconditionFailed, await Status(("If-Match", "W/" + etag))); // If-Match compares strongly
        Assert.Equal(HttpStatusCode.OK, await Status(("If-Match", etag)));
        Assert.Equal(HttpStatusCode.OK, await Status(("If-Match", "\"a\", " + etag)));
        Assert.Equal(HttpStatusCode.OK, await Status(("If-Match", "*")));
        Assert.Equal(HttpStatusCode.PreconditionFailed, await Status(("If-Unmodified-Since", "Fri, 01 Mar 2024 10:20:29 GMT")));
        Assert.Equal(HttpStatusCode.OK, await Status(("If-Unmodified-Since", "Fri, 01 Mar 2024 10:20:30 GMT")));
        // If-Match wins over If-Unmodified-Since.
        Assert.Equal(HttpStatusCode.OK, await Status(("If-Match", etag), ("If-Unmodified-Since", "Fri, 01 Mar 2020 10:20:29 GMT")));
    }

    [Theory]
    [InlineData("bytes=0-9", 0, 9)]
    [InlineData("bytes=1990-", 1990, 1999)]
    [InlineData("bytes=-15", 1985, 1999)]
    [InlineData("bytes=100-99999", 100, 1999)]
    public async Task A_range_gives_206_with_content_range(string range, int start, int end)
    {
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        using var response = await client.SendAsync("GET", "/doc.txt", ("Range", range));
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes {start}-{end}/2000", response.Header("Content-Range"));
        Assert.Equal(end - start + 1, response.Content.Headers.ContentLength);
        Assert.Equal(_text.Substring(start, end - start + 1), await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; charset=utf-8", response.Header("Content-Type"));
        Assert.NotNull(response.Header("ETag"));
    }

    [Theory]
    [InlineData("bytes=2000-")]
    [InlineData("bytes=5000-6000")]
    [InlineData("bytes=-0")]
    public async Task An_unsatisfiable_range_gives_416_with_the_length(string range)
    {
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        using var response = await client.SendAsync("GET", "/doc.txt", ("Range", range));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */2000", response.Header("Content-Range"));
    }

    [Theory]
    [InlineData("bytes=9-1")]
    [InlineData("pages=1-2")]
    [InlineData("bytes=x-")]
    public async Task A_malformed_range_is_ignored(string range)
    {
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        using var response = await client.SendAsync("GET", "/doc.txt", ("Range", range));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_text, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task If_range_honours_the_range_only_for_the_current_representation()
    {
        var path = Path.Combine(_site.Root, "doc.txt");
        File.SetLastWriteTimeUtc(path, new DateTime(2024, 3, 1, 10, 20, 30, DateTimeKind.Utc));
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        var etag = (await client.GetAsync("/doc.txt")).Header("ETag")!;

        async Task<HttpStatusCode> Status(string ifRange) =>
            (await client.SendAsync("GET", "/doc.txt", ("Range", "bytes=0-9"), ("If-Range", ifRange))).StatusCode;

        Assert.Equal(HttpStatusCode.PartialContent, await Status(etag));
        Assert.Equal(HttpStatusCode.PartialContent, await Status("Fri, 01 Mar 2024 10:20:30 GMT"));
        Assert.Equal(HttpStatusCode.OK, await Status("\"stale\""));
        Assert.Equal(HttpStatusCode.OK, await Status("W/" + etag)); // If-Range needs a strong match
        Assert.Equal(HttpStatusCode.OK, await Status("Fri, 01 Mar 2024 10:20:31 GMT")); // only the exact date
    }

    [Fact]
    public async Task Several_ranges_come_as_multipart_byteranges()
    {
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        using var response = await client.SendAsync("GET", "/doc.txt", ("Range", "bytes=1000-1009,0-9,-5"));
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        var contentType = response.Content.Headers.ContentType!;
        Assert.Equal("multipart/byteranges", contentType.MediaType);
        var boundary = contentType.Parameters.Single(p => p.Name == "boundary").Value!;
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(body.Length, response.Content.Headers.ContentLength); // the announced length is exact

        var parts = MultipartParts(Encoding.ASCII.GetString(body), boundary);
        Assert.Equal(3, parts.Count);
        Assert.Equal(("bytes 1000-1009/2000", _text.Substring(1000, 10)), parts[0]);
        Assert.Equal(("bytes 0-9/2000", _text[..10]), parts[1]);
        Assert.Equal(("bytes 1995-1999/2000", _text[1995..]), parts[2]);
        Assert.Contains($"\r\n--{boundary}--\r\n", Encoding.ASCII.GetString(body));
    }

    /// <summary>Splits a multipart/byteranges body per RFC 2046, checking each part's headers.</summary>
    internal static List<(string ContentRange, string Data)> MultipartParts(string body, string boundary)
    {
        var parts = new List<(string, string)>();
        Assert.StartsWith($"--{boundary}\r\n", body);
        foreach (var raw in body.Split($"--{boundary}").Skip(1))
        {
            if (raw.StartsWith("--")) break;
            var headEnd = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var head = raw[2..headEnd].Split("\r\n").Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
            Assert.Equal("text/plain; charset=utf-8", head["Content-Type"]);
            var data = raw[(headEnd + 4)..];
            Assert.EndsWith("\r\n", data);
            parts.Add((head["Content-Range"], data[..^2]));
        }
        return parts;
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("OPTIONS")]
    [InlineData("PATCH")]
    public async Task Methods_other_than_get_and_head_get_405_with_allow(string method)
    {
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        using var response = await client.SendAsync(method, "/doc.txt");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET, HEAD", response.Header("Allow"));
        Assert.DoesNotContain("line 0000", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_missing_file_falls_through_to_notfound()
    {
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/missing.txt")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/doc.txt/")).StatusCode); // a file is not a folder
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync("POST", "/missing.txt")).StatusCode);
    }

    [Fact]
    public async Task An_empty_file_is_served_and_its_ranges_are_unsatisfiable()
    {
        _site.Write("empty.txt", "");
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/empty.txt");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, response.Content.Headers.ContentLength);
        using var ranged = await client.SendAsync("GET", "/empty.txt", ("Range", "bytes=0-"));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, ranged.StatusCode);
        Assert.Equal("bytes */0", ranged.Header("Content-Range"));
    }

    [Fact]
    public async Task A_fifo_in_the_root_is_answered_without_waiting_for_a_writer()
    {
        using (var mkfifo = System.Diagnostics.Process.Start(Requires.Tool("mkfifo", "it comes with coreutils"), Path.Combine(_site.Root, "pipe.txt")))
            await mkfifo.WaitForExitAsync();
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var response = await client.GetAsync("/pipe.txt", timeout.Token); // opening it would block until a writer came
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, response.Content.Headers.ContentLength);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task An_unreadable_file_gives_403()
    {
        var path = _site.Write("locked.txt", "x");
        File.SetUnixFileMode(path, UnixFileMode.None);
        if (Environment.IsPrivilegedProcess)
        {
            // Root reads every file, so run the real program as an unprivileged user instead.
            Assert.Equal(403, await UnprivilegedHost.GetStatusAsync(_site.Root, "/locked.txt"));
            return;
        }
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/locked.txt")).StatusCode);
    }
}
