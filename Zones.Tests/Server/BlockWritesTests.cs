using System.Buffers;
using System.IO.Pipelines;
using Zones.Http;

namespace Zones.Tests.Server;

/// <summary>
/// A large body reaches the socket in 64 KiB writes: the connection's output is a pipe over the
/// network stream whose flush writes each of its buffers separately, so how bytes are copied into
/// it decides how many send(2) calls a response costs.
/// </summary>
public sealed class BlockWritesTests
{
    private sealed class CountingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override void Write(ReadOnlySpan<byte> buffer) { Writes++; base.Write(buffer); }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            return base.WriteAsync(buffer, cancellationToken);
        }
    }

    private static byte[] Body(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();

    // As Http1Output makes it.
    private static PipeWriter OutputOver(Stream stream) => PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 4096, leaveOpen: true));

    [Fact]
    public async Task A_146_KiB_body_is_three_writes_not_one_per_4_KiB_buffer()
    {
        var body = Body(146 * 1024);
        var blocks = new CountingStream();
        var output = OutputOver(blocks);
        output.WriteInBlocks(body);
        await output.FlushAsync();
        Assert.Equal(body, blocks.ToArray());
        Assert.Equal(3, blocks.Writes); // 64 + 64 + 18 KiB

        // What PipeWriter's own Write does with the same bytes: the reason BlockWrites exists.
        var pieces = new CountingStream();
        var plain = OutputOver(pieces);
        plain.Write(body);
        await plain.FlushAsync();
        Assert.Equal(body, pieces.ToArray());
        Assert.True(pieces.Writes >= 30, $"{pieces.Writes} writes");
    }

    [Fact]
    public async Task A_chunk_of_146_KiB_keeps_its_framing_and_goes_out_in_a_few_writes()
    {
        var body = Body(146 * 1024);
        var stream = new CountingStream();
        var output = OutputOver(stream);
        ChunkedEncoding.WriteChunk(output, body);
        await output.FlushAsync();
        var written = stream.ToArray();
        var head = System.Text.Encoding.ASCII.GetBytes($"{body.Length:X}\r\n");
        Assert.Equal(head, written[..head.Length]);
        Assert.Equal(body, written[head.Length..^2]);
        Assert.Equal("\r\n"u8.ToArray(), written[^2..]);
        Assert.InRange(stream.Writes, 1, 5);
    }

    [Fact]
    public async Task Small_writes_still_share_a_buffer()
    {
        var stream = new CountingStream();
        var output = OutputOver(stream);
        for (var i = 0; i < 10; i++) output.WriteInBlocks(Body(100));
        await output.FlushAsync();
        Assert.Equal(1000, stream.Length);
        Assert.Equal(1, stream.Writes);
    }
}
