using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Zones.Handlers.WebSockets;

/// <summary>
/// The connection as System.Net.WebSockets sees it, with two small duties that need no framing:
/// <list type="bullet">
/// <item>UTF-8 is checked as text arrives, not once a whole frame is in. The WebSocket reads
/// frame headers (and control payloads) into a small buffer of its own, and a plain read would
/// pull payload bytes in with them, out of sight. Handed at most two bytes per read of that
/// buffer, it ends up holding the header and at most one byte more (header sizes are even: 2,
/// then 4, 6 or 12 with the mask); the payload stays in the connection's pipe, where
/// <see cref="TakeOverContext.Buffered"/> counts it, and the session asks for exactly what has
/// arrived. Payload reads pass straight through.</item>
/// <item>It notes the close frame the WebSocket sends (each frame goes out as one write, an
/// unmasked server frame starting 0x88), so a connection it failed — 1002 or 1007 — is reported
/// with the code the client was actually sent.</item>
/// </list>
/// </summary>
internal sealed class WebSocketTransport(Stream inner) : Stream
{
    private const int HeaderStep = 2;
    private byte[]? _headerBuffer; // the WebSocket's own buffer: the target of its first read

    /// <summary>The first close frame sent on this connection: its code (1005 for none) and reason.</summary>
    public (int Code, string Reason)? SentClose { get; private set; }

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

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (SentClose is null) NoteClose(buffer.Span);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    private void NoteClose(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 2 || frame[0] != 0x88) return;
        var length = Math.Min(frame[1] & 0x7F, frame.Length - 2);
        SentClose = length < 2
            ? (1005, "")
            : (BinaryPrimitives.ReadUInt16BigEndian(frame[2..]), Encoding.UTF8.GetString(frame.Slice(4, length - 2)));
    }

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
