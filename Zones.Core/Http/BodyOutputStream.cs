using System.Buffers;
using System.Buffers.Text;

namespace Zones.Http;

/// <summary>
/// The response body as a write-only stream, in the framing the head announced: raw bytes
/// (Content-Length, or until close for HTTP/1.0) or chunked. Every write is flushed, so
/// streamed output reaches the client as it is produced.
/// </summary>
internal sealed class BodyOutputStream(IResponseOutput output, bool chunked, long? declaredLength) : Stream
{
    private bool _finished;

    public long BytesWritten { get; private set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_finished;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesWritten; set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        WriteCore(buffer.Span);
        await output.FlushAsync(cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteCore(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => WriteCore(buffer);

    public override Task FlushAsync(CancellationToken cancellationToken) => output.FlushAsync(cancellationToken).AsTask();

    public override void Flush() => output.FlushAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

    private void WriteCore(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (data.IsEmpty) return; // an empty chunk would end a chunked body
        if (declaredLength is { } declared && BytesWritten + data.Length > declared)
            throw new InvalidOperationException($"The response body is longer than its declared length of {declared} bytes.");
        var pipe = output.Output;
        if (chunked)
        {
            var head = pipe.GetSpan(18);
            Utf8Formatter.TryFormat(data.Length, head, out var n, new System.Buffers.StandardFormat('X'));
            head[n++] = (byte)'\r';
            head[n++] = (byte)'\n';
            pipe.Advance(n);
            pipe.Write(data);
            pipe.Write("\r\n"u8);
        }
        else
        {
            pipe.Write(data);
        }
        BytesWritten += data.Length;
    }

    /// <summary>Writes the last chunk (chunked framing); the body is complete after this.</summary>
    public void Finish()
    {
        if (_finished) return;
        _finished = true;
        if (chunked) output.Output.Write("0\r\n\r\n"u8);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
