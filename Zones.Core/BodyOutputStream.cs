namespace Zones;

/// <summary>
/// The response body as a write-only stream over a <see cref="ResponseBodyWriter"/>, which
/// applies the framing. Every write is flushed, so streamed output reaches the client as it is
/// produced. It stops working once its response has been sent.
/// </summary>
internal sealed class BodyOutputStream(ResponseBodyWriter writer, int generation) : Stream
{
    private ResponseBodyWriter Writer => writer.Generation == generation
        ? writer
        : throw new ObjectDisposedException(nameof(BodyOutputStream), "The response this stream belonged to has been sent.");

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => writer.IsOpen(generation);
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Writer.BytesWritten; set => throw new NotSupportedException(); }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var current = Writer;
        current.Write(buffer.Span);
        return current.FlushAsync(cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Writer.Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => Writer.Write(buffer);

    public override Task FlushAsync(CancellationToken cancellationToken) => Writer.FlushAsync(cancellationToken).AsTask();

    public override void Flush() => Writer.FlushAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
