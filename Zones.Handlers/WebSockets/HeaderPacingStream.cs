using System.Runtime.InteropServices;

namespace Zones.Handlers.WebSockets;

/// <summary>
/// Sits between System.Net.WebSockets and the take-over stream so that UTF-8 is checked as text
/// arrives, not once a whole frame is in. The WebSocket reads frame headers (and control
/// payloads) into a small buffer of its own, and a plain read would pull payload bytes in with
/// them, out of sight. Handed at most two bytes per read of that buffer, it ends up holding the
/// header and at most one byte more (header sizes are even: 2, then 4, 6 or 12 with the mask);
/// the payload stays in the connection's pipe, where <see cref="TakeOverContext.Buffered"/>
/// counts it, and the session asks for exactly what has arrived. Payload reads and all writes
/// pass straight through. Nothing here reads frames.
/// </summary>
internal sealed class HeaderPacingStream(Stream inner) : Stream
{
    private const int HeaderStep = 2;
    private byte[]? _headerBuffer; // the WebSocket's own buffer: the target of its first read

    public override bool CanRead => inner.CanRead;
    public override bool CanWrite => inner.CanWrite;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length > HeaderStep && MemoryMarshal.TryGetArray<byte>(buffer, out var segment))
        {
            _headerBuffer ??= segment.Array;
            if (ReferenceEquals(segment.Array, _headerBuffer)) buffer = buffer[..HeaderStep];
        }
        return inner.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
