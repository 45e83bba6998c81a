using System.Net;
using System.Security.Cryptography;
using Zones.Tests.Infrastructure;
using Zones.RequestData;

namespace Zones.Tests.RequestData;

[Collection(nameof(AllocationSensitive))]
public sealed class LargeUploadTests : IDisposable
{
    private const int Size = 20 * 1024 * 1024;
    private readonly string _temp = Directory.CreateTempSubdirectory("zones-upload-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task A_20_MB_upload_streams_to_a_temporary_file_without_sitting_in_memory_and_the_file_is_gone_after_the_request()
    {
        string? tempPath = null;
        var existedDuringRequest = false;
        await using var server = await TestServer.StartAsync(TestServer.Zone("/upload", async c =>
        {
            var form = await c.Request.ReadFormAsync(new FormLimits { TempFolder = _temp });
            var file = form.File("data")!;
            tempPath = file.TempFilePath;
            existedDuringRequest = tempPath is not null && File.Exists(tempPath);
            await using var stream = file.OpenReadStream();
            var hash = Convert.ToHexString(await SHA256.HashDataAsync(stream));
            return ZoneResult.Respond(ZoneResponse.Text($"{file.Length} {hash} {form["label"]}"));
        }));
        using var client = server.CreateClient();
        var expectedHash = Convert.ToHexString(SHA256.HashData(GeneratedStream.Bytes(Size)));

        // Warm up once (JIT, pools) so the measurement sees the steady state of an upload.
        await UploadAsync(client, 256 * 1024);
        await WaitForEmptyAsync();

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var answer = await UploadAsync(client, Size);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal($"{Size} {expectedHash} twenty", answer);
        Assert.True(existedDuringRequest, "the upload should have been in a temporary file while the handler ran");
        Assert.StartsWith(_temp, tempPath);
        // Client and server together (about 5 MB measured): well under the upload itself, so it was never held whole.
        Assert.True(allocated < Size / 2, $"allocated {allocated:N0} bytes for a {Size:N0}-byte upload");
        await WaitForEmptyAsync();
        Assert.False(File.Exists(tempPath));
    }

    private static async Task<string> UploadAsync(HttpClient client, int size)
    {
        using var content = new MultipartFormDataContent
        {
            { new StringContent("twenty"), "label" },
            { new StreamContent(new GeneratedStream(size), 64 * 1024), "data", "big.bin" },
        };
        using var response = await client.PostAsync("/upload", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task WaitForEmptyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Directory.EnumerateFileSystemEntries(_temp).Any())
        {
            Assert.True(DateTime.UtcNow < deadline, "the temporary upload file was not deleted after the request");
            await Task.Delay(20);
        }
    }
}

/// <summary>A deterministic byte stream of a given length, produced as it is read (nothing held in memory).</summary>
internal sealed class GeneratedStream(long length) : Stream
{
    private long _position;

    public static byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++) bytes[i] = ByteAt(i);
        return bytes;
    }

    private static byte ByteAt(long i) => (byte)((i * 31 + (i >> 8) * 7) & 0xFF);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, length - _position);
        for (var i = 0; i < n; i++) buffer[i] = ByteAt(_position + i);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
