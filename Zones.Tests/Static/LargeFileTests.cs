using System.Net.Sockets;
using System.Text;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Static;

/// <summary>Big files: 64-bit offsets, memory that does not grow with the file, handles that are always closed.</summary>
[Collection(nameof(AllocationSensitive))]
public sealed class LargeFileTests : IDisposable
{
    private readonly StaticSite _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task A_five_gibibyte_sparse_file_is_served_from_its_end()
    {
        const long length = 5L * 1024 * 1024 * 1024;
        var path = Path.Combine(_site.Root, "huge.bin");
        var marker = "THE-END-OF-5-GiB"u8.ToArray(); // 16 bytes
        await using (var file = File.Create(path))
        {
            file.SetLength(length); // sparse: no disk blocks are written
            file.Seek(-marker.Length, SeekOrigin.End);
            await file.WriteAsync(marker);
        }
        try
        {
            await using var server = await _site.StartAsync();
            await using var connection = await server.ConnectAsync();

            await connection.SendAsync("HEAD /huge.bin HTTP/1.1\r\nHost: t\r\n\r\n");
            var head = await connection.ReadResponseAsync(head: true);
            Assert.Equal(200, head.Status);
            Assert.Equal("5368709120", head.Headers["Content-Length"]);

            await connection.SendAsync("GET /huge.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=-16\r\n\r\n");
            var tail = await connection.ReadResponseAsync();
            Assert.Equal(206, tail.Status);
            Assert.Equal("bytes 5368709104-5368709119/5368709120", tail.Headers["Content-Range"]);
            Assert.Equal("THE-END-OF-5-GiB", Encoding.ASCII.GetString(tail.Body));

            await connection.SendAsync("GET /huge.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=4294967296-4294967303,5368709112-\r\n\r\n");
            var multi = await connection.ReadResponseAsync();
            Assert.Equal(206, multi.Status);
            var text = Encoding.Latin1.GetString(multi.Body);
            Assert.Contains("Content-Range: bytes 4294967296-4294967303/5368709120\r\n\r\n\0\0\0\0\0\0\0\0\r\n", text);
            Assert.Contains("Content-Range: bytes 5368709112-5368709119/5368709120\r\n\r\nOF-5-GiB\r\n", text);

            await connection.SendAsync("GET /huge.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=5368709120-\r\n\r\n");
            var beyond = await connection.ReadResponseAsync();
            Assert.Equal(416, beyond.Status);
            Assert.Equal("bytes */5368709120", beyond.Headers["Content-Range"]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_ten_mebibyte_download_does_not_allocate_the_file_size()
    {
        const int size = 10 * 1024 * 1024;
        _site.Write("ten.bin", new byte[size]);
        await using var server = await _site.StartAsync();
        await using var connection = await server.ConnectAsync();
        var buffer = new byte[256 * 1024];

        // Reads one response into the same buffer over and over, keeping only the head: the client itself allocates next to nothing.
        async Task<long> DownloadAsync()
        {
            await connection.SendAsync("GET /ten.bin HTTP/1.1\r\nHost: t\r\n\r\n");
            var head = new List<byte>();
            long received = 0, expected = long.MaxValue, bodyLength = 0;
            while (received < expected)
            {
                var n = await connection.Socket.ReceiveAsync(buffer, SocketFlags.None);
                Assert.NotEqual(0, n);
                received += n;
                if (expected != long.MaxValue) continue;
                head.AddRange(buffer.AsSpan(0, n));
                var text = Encoding.ASCII.GetString(head.ToArray());
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end < 0) continue;
                Assert.StartsWith("HTTP/1.1 200", text);
                bodyLength = long.Parse(text.Split("\r\n").Single(l => l.StartsWith("Content-Length:")).Split(':')[1]);
                expected = end + 4 + bodyLength;
            }
            Assert.Equal(expected, received); // nothing beyond the body
            return bodyLength;
        }

        await DownloadAsync(); // warm-up: JIT, pools, first-use allocations
        var before = GC.GetTotalAllocatedBytes(precise: true);
        Assert.Equal(size, await DownloadAsync());
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        // Everything the process allocated meanwhile (server, client, test runner) counts, so the bound
        // is generous; a copy of the file through managed memory would blow it many times over.
        Assert.True(allocated < size / 4, $"a 10 MiB download allocated {allocated / 1024} KiB");
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_download_does_not_leak_the_file_handle()
    {
        Requires.Linux("counts open files through /proc/self/fd");
        var path = _site.Write("big.bin", new byte[64 * 1024 * 1024]);
        await using var server = await _site.StartAsync();
        await using (var connection = await server.ConnectAsync())
        {
            await connection.SendAsync("GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n");
            Assert.StartsWith("HTTP/1.1 200", await connection.ReadLineAsync());
            // The client reads no more: the server is stuck mid-file with the handle open.
            await Wait.UntilAsync(() => OpenHandles(path) == 1, "the download to start (its file handle to be open)");
            connection.Socket.LingerState = new LingerOption(true, 0); // close with RST, as a killed client would
        }
        await Wait.UntilAsync(() => OpenHandles(path) == 0, "the file handle to close after the client left");
        File.Delete(path); // and nothing holds it
    }

    [Fact]
    public async Task Responses_without_a_body_leave_no_handle_open()
    {
        Requires.Linux("counts open files through /proc/self/fd");
        var path = _site.Write("small.txt", "0123456789");
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        var etag = (await client.GetAsync("/small.txt")).Headers.ETag!.Tag;
        (string, string)[][] requests =
        [
            [("If-None-Match", etag)],          // 304
            [("If-Match", "\"other\"")],       // 412
            [("Range", "bytes=100-")],         // 416
        ];
        foreach (var headers in requests) await client.SendAsync("GET", "/small.txt", headers);
        await client.SendAsync("HEAD", "/small.txt");
        await client.SendAsync("GET", "/small.txt", ("Range", "bytes=0-1,5-6"));
        await Wait.UntilAsync(() => OpenHandles(path) == 0, "every response to close the file");
    }

    /// <summary>How many of this process's descriptors point at <paramref name="path"/>.</summary>
    private static int OpenHandles(string path)
    {
        var count = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget == path) count++;
            }
            catch (IOException) { } // closed while we looked
        }
        return count;
    }
}
