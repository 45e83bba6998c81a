using System.IO.Pipelines;
using Microsoft.Win32.SafeHandles;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Server;

/// <summary>
/// A body held in memory (a cached static file, ZoneResponse.Bytes): under 4 KiB it is copied into
/// the output with the head, for one send; from 4 KiB, where the copy already took a second
/// send, a plain socket is given the bytes themselves; elsewhere (TLS) they are copied, in
/// flushed segments past 64 KiB.
/// </summary>
public sealed class BytesBodyTests
{
    /// <summary>A raw-framed body's destination that records what it was asked to do.</summary>
    private sealed class RecordingSink(bool canSendFromMemory) : IResponseSink
    {
        private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 0));

        public long Copied { get; private set; }
        public int Flushes { get; private set; }
        public List<int> SentFromMemory { get; } = [];

        public PipeWriter? RawBody => new CountingWriter(this);
        public void WriteBody(ReadOnlySpan<byte> data) => throw new InvalidOperationException("raw framing writes through RawBody");
        public ValueTask FlushAsync(CancellationToken cancellationToken) { Flushes++; return default; }
        public ValueTask<bool> TrySendFileAsync(SafeFileHandle file, long offset, long length, CancellationToken cancellationToken) => new(false);

        public ValueTask<bool> TrySendBytesAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
        {
            if (canSendFromMemory) SentFromMemory.Add(bytes.Length);
            return new(canSendFromMemory);
        }

        public bool BodyOpen => true;
        public long BodyBytes => Copied;

        private sealed class CountingWriter(RecordingSink sink) : PipeWriter
        {
            public override void Advance(int bytes)
            {
                sink.Copied += bytes;
                sink._pipe.Writer.Advance(bytes);
            }

            public override Memory<byte> GetMemory(int sizeHint = 0) => sink._pipe.Writer.GetMemory(sizeHint);
            public override Span<byte> GetSpan(int sizeHint = 0) => sink._pipe.Writer.GetSpan(sizeHint);
            public override void CancelPendingFlush() { }
            public override void Complete(Exception? exception = null) { }
            public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => new(new FlushResult());
        }
    }

    private static async Task<RecordingSink> WriteAsync(int length, bool canSendFromMemory)
    {
        var sink = new RecordingSink(canSendFromMemory);
        await new BytesBody(new byte[length]).WriteAsync(new ResponseBodyWriter(sink), CancellationToken.None);
        return sink;
    }

    [Fact]
    public async Task Under_4_KiB_the_bytes_are_copied_and_left_for_the_responses_own_flush()
    {
        var sink = await WriteAsync(BytesBody.SendFromMemoryLength - 1, canSendFromMemory: true);
        Assert.Empty(sink.SentFromMemory);
        Assert.Equal(BytesBody.SendFromMemoryLength - 1, sink.Copied);
        Assert.Equal(0, sink.Flushes);
    }

    [Theory]
    [InlineData(BytesBody.SendFromMemoryLength)]
    [InlineData(64 * 1024 + 1)]
    [InlineData(5 * 1024 * 1024)]
    public async Task From_4_KiB_a_plain_socket_is_given_the_bytes_themselves(int length)
    {
        var sink = await WriteAsync(length, canSendFromMemory: true);
        Assert.Equal([length], sink.SentFromMemory);
        Assert.Equal(0, sink.Copied);
    }

    [Fact]
    public async Task Where_the_output_cannot_send_from_memory_up_to_64_KiB_is_copied_whole_without_a_flush()
    {
        var sink = await WriteAsync(64 * 1024, canSendFromMemory: false);
        Assert.Equal(64 * 1024, sink.Copied);
        Assert.Equal(0, sink.Flushes); // a pipelined batch can still take it
    }

    [Fact]
    public async Task Where_the_output_cannot_send_from_memory_a_larger_body_goes_in_flushed_segments()
    {
        var sink = await WriteAsync(150 * 1024, canSendFromMemory: false);
        Assert.Equal(150 * 1024, sink.Copied);
        Assert.Equal(3, sink.Flushes); // 64 + 64 + 22 KiB, each sent as it is written (the data-rate check)
    }

    [Fact]
    public async Task Pipelined_answers_from_memory_and_copied_arrive_whole_and_in_order()
    {
        int[] sizes = [100, BytesBody.SendFromMemoryLength - 1, BytesBody.SendFromMemoryLength, 70_000, 300, 5 * 1024 * 1024 + 3, 1, 20_000];
        var bodies = sizes.Select((size, i) => Enumerable.Range(0, size).Select(b => (byte)(b * 31 + i)).ToArray()).ToArray();
        await using var server = await TestServer.StartAsync(
            TestServer.Zone("/b/", c => ZoneResult.Respond(ZoneResponse.Bytes(bodies[int.Parse(c.Suffix.TrimStart('/'), System.Globalization.CultureInfo.InvariantCulture)]))));
        await using var connection = await server.ConnectAsync();
        // Every request in one write: each answer is written while the next is already buffered.
        await connection.SendAsync(string.Concat(sizes.Select((_, i) => $"GET /b/{i} HTTP/1.1\r\nHost: t\r\n\r\n")));
        for (var i = 0; i < sizes.Length; i++)
        {
            var response = await connection.ReadResponseAsync(timeout: TimeSpan.FromSeconds(30));
            Assert.Equal(200, response.Status);
            Assert.Equal(sizes[i].ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers["Content-Length"]);
            Assert.Equal(bodies[i], response.Body);
        }
    }

    [Fact]
    public async Task A_HEAD_for_a_body_held_in_memory_gets_its_length_and_no_bytes()
    {
        var body = new byte[100_000];
        await using var server = await TestServer.StartAsync(TestServer.Zone("/big", _ => ZoneResult.Respond(ZoneResponse.Bytes(body))));
        await using var connection = await server.ConnectAsync();
        await connection.SendAsync("HEAD /big HTTP/1.1\r\nHost: t\r\n\r\nGET /big HTTP/1.1\r\nHost: t\r\n\r\n");
        var head = await connection.ReadResponseAsync(head: true);
        Assert.Equal("100000", head.Headers["Content-Length"]);
        Assert.Empty(head.Body);
        var get = await connection.ReadResponseAsync();
        Assert.Equal(body, get.Body);
    }
}
