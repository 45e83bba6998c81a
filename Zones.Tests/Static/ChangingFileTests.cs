using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Static;

/// <summary>
/// A file that changes while it is being sent: a response never claims bytes it does not send.
/// Truncated, the body ends short and the connection closes, so no next response is read on
/// broken framing; replaced or deleted, the open handle still holds the original bytes.
/// </summary>
public sealed class ChangingFileTests : IDisposable
{
    private const int Size = 32 * 1024 * 1024;
    private readonly StaticSite _site = new();
    private readonly byte[] _content = new byte[Size];

    public ChangingFileTests() => new Random(11).NextBytes(_content);

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task A_file_truncated_during_a_download_ends_the_body_short_and_closes_the_connection()
    {
        var path = _site.Write("big.bin", _content);
        _site.Write("next.txt", "next");
        await using var server = await _site.StartAsync();
        using var socket = await ConnectAsync(server);
        await socket.SendAsync("GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\nGET /next.txt HTTP/1.1\r\nHost: t\r\n\r\n"u8.ToArray(), SocketFlags.None);
        var (head, body) = await ReadHeadAsync(socket);
        Assert.Contains($"Content-Length: {Size}", head);

        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite)) file.SetLength(1024 * 1024);

        var received = await ReadToEndAsync(socket, body);
        Assert.True(received.Length < Size, $"all {Size} bytes arrived although the file was cut to 1 MiB");
        Assert.Equal(_content.AsSpan(0, Math.Min(received.Length, 1024 * 1024)).ToArray(), received.AsSpan(0, Math.Min(received.Length, 1024 * 1024)).ToArray());
        Assert.DoesNotContain(server.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
        // The site's doing, so a warning names the response (a client that leaves gets none).
        await server.Logs.WaitForAsync(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("GET /big.bin") && e.Message.Contains($"of the {Size} body bytes"));
    }

    [Theory]
    [InlineData("replaced")]
    [InlineData("deleted")]
    public async Task A_file_replaced_or_deleted_during_a_download_is_sent_as_it_was_when_opened(string change)
    {
        var path = _site.Write("big.bin", _content);
        await using var server = await _site.StartAsync();
        using var socket = await ConnectAsync(server);
        await socket.SendAsync("GET /big.bin HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"u8.ToArray(), SocketFlags.None);
        var (_, body) = await ReadHeadAsync(socket);

        if (change == "deleted") File.Delete(path);
        else
        {
            File.WriteAllText(path + ".new", "a different, shorter file");
            File.Move(path + ".new", path, overwrite: true); // how editors and deploy tools save
        }
        Assert.Equal(_content, await ReadToEndAsync(socket, body));
    }

    [Fact]
    public async Task A_copy_from_a_file_that_became_shorter_fails_instead_of_sending_less()
    {
        var path = _site.Write("copy.bin", _content.AsSpan(0, 200 * 1024).ToArray());
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.Asynchronous);
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite)) file.SetLength(100 * 1024);
        var sink = new PipeSink();
        var error = await Assert.ThrowsAsync<FileChangedException>(() => FileBody.CopyAsync(handle, 0, 200 * 1024, new ResponseBodyWriter(sink), CancellationToken.None).AsTask());
        Assert.Contains("shorter", error.Message);
        Assert.True(sink.Written <= 100 * 1024);
    }

    /// <summary>A response body's destination in memory: raw bytes of a declared length, no socket.</summary>
    private sealed class PipeSink : IResponseSink
    {
        private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 0));

        public long Written => _pipe.Writer.UnflushedBytes;

        public PipeWriter? RawBody => _pipe.Writer;
        public void WriteBody(ReadOnlySpan<byte> data) => _pipe.Writer.Write(data);
        public ValueTask FlushAsync(CancellationToken cancellationToken) => default; // kept in memory
        public ValueTask<bool> TrySendFileAsync(SafeFileHandle file, long offset, long length, CancellationToken cancellationToken) => ValueTask.FromResult(false);
        public bool BodyOpen => true;
        public long BodyBytes => Written;
    }

    private static async Task<Socket> ConnectAsync(TestServer server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 32 * 1024 };
        await socket.ConnectAsync(IPAddress.Loopback, server.Port);
        return socket;
    }

    /// <summary>The response head, and the body bytes that came with it.</summary>
    private static async Task<(string Head, byte[] Body)> ReadHeadAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var data = new MemoryStream();
        var buffer = new byte[4096];
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (n == 0) throw new IOException("closed before the head");
            data.Write(buffer, 0, n);
            var end = data.ToArray().AsSpan().IndexOf("\r\n\r\n"u8);
            if (end >= 0) return (System.Text.Encoding.Latin1.GetString(data.ToArray(), 0, end), data.ToArray()[(end + 4)..]);
        }
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket, byte[] start)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var data = new MemoryStream();
        data.Write(start);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int n;
            try { n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token); }
            catch (SocketException) { break; } // reset: the server cut the connection
            if (n == 0) break;
            data.Write(buffer, 0, n);
        }
        return data.ToArray();
    }
}
