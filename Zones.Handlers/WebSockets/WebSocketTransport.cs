using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
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
/// <item>Between messages it is where the connection waits (see <see cref="TakeControlFrame"/>):
/// the WebSocket is only asked to read once a frame it must see has arrived, so an idle
/// connection holds none of its receive machinery. Pings that arrive there are answered here,
/// pongs taken here; the keep-alive's own pings go out here too (<see cref="KeepAlive"/>).
/// Every frame, the WebSocket's and these, is written whole and one at a time.</item>
/// </list>
/// </summary>
internal sealed class WebSocketTransport(Stream inner, TakeOverContext takeOver) : Stream
{
    private const int HeaderStep = 2;
    private byte[]? _headerBuffer; // the WebSocket's own buffer: the target of its first read
    private readonly SemaphoreSlim _writing = new(1, 1); // one frame at a time on the wire, the WebSocket's or ours
    private long _lastReceived = Environment.TickCount64;
    private long _reads;                                  // reads that returned bytes

    /// <summary>The first close frame sent on this connection: its code (1005 for none) and reason.</summary>
    public (int Code, string Reason)? SentClose { get; private set; }

    /// <summary>When a read last returned bytes (Environment.TickCount64).</summary>
    public long LastReceived => Volatile.Read(ref _lastReceived);

    /// <summary>How many reads returned bytes so far: a change says the peer sent something.</summary>
    public long Reads => Volatile.Read(ref _reads);

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
        var read = inner.ReadAsync(buffer, cancellationToken);
        if (!read.IsCompletedSuccessfully) return NoteWhenReadAsync(read);
        var count = read.Result;
        if (count > 0) NoteReceived();
        return new ValueTask<int>(count);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> NoteWhenReadAsync(ValueTask<int> read)
    {
        var count = await read;
        if (count > 0) NoteReceived();
        return count;
    }

    private void NoteReceived()
    {
        Volatile.Write(ref _lastReceived, Environment.TickCount64);
        Interlocked.Increment(ref _reads);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Cuts the TCP connection (a peer taken for dead).</summary>
    public void AbortConnection() => takeOver.Abort();

    /// <summary>Waits until bytes have arrived (or the input ended), reading none: a zero-byte read of the connection.</summary>
    public ValueTask<int> WaitForInputAsync(CancellationToken cancellationToken) => inner.ReadAsync(Memory<byte>.Empty, cancellationToken);

    /// <summary>
    /// Between messages, after <see cref="WaitForInputAsync"/>: when the next frame is a client's
    /// ping or pong that has arrived whole, reads it and returns it (a pooled array holding the
    /// frame; <paramref name="length"/> its size) for the caller to answer and return to the
    /// pool. Null when the next frame is the WebSocket's to read — data, close, anything
    /// malformed, a control frame not wholly here yet, or the end of the input.
    /// </summary>
    public byte[]? TakeControlFrame(out int length)
    {
        length = 0;
        Span<byte> head = stackalloc byte[2];
        if (takeOver.Peek(head) < 2) return null;
        var size = ControlFrame.ClientFrameLength(head, out _);
        if (size == 0 || takeOver.Buffered < size) return null;
        var frame = ArrayPool<byte>.Shared.Rent(size);
        // Every byte of it is buffered: the read completes at once.
        var read = inner.ReadAsync(frame.AsMemory(0, size));
        if (!read.IsCompletedSuccessfully || read.Result != size)
        {
            ArrayPool<byte>.Shared.Return(frame);
            throw new InvalidOperationException("A control frame that had arrived whole could not be read at once.");
        }
        NoteReceived();
        length = size;
        return frame;
    }

    /// <summary>
    /// Sends one of our control frames (a pong that answers a ping, a keep-alive ping) between
    /// the WebSocket's frames. Nothing is sent once a close frame went out.
    /// </summary>
    public async ValueTask SendControlAsync(byte opcode, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try { await WriteControlLockedAsync(opcode, payload.Span, cancellationToken); }
        finally { _writing.Release(); }
    }

    /// <summary>As <see cref="SendControlAsync"/>, but only if no frame is being written now; false when one is (try again later).</summary>
    public bool TrySendControl(byte opcode, ReadOnlySpan<byte> payload)
    {
        if (!_writing.Wait(0)) return false;
        ValueTask write;
        try { write = WriteControlLockedAsync(opcode, payload, CancellationToken.None); }
        catch
        {
            _writing.Release();
            throw;
        }
        if (write.IsCompletedSuccessfully)
        {
            write.GetAwaiter().GetResult();
            _writing.Release();
        }
        else
        {
            _ = ReleaseAfterAsync(write, observe: true);
        }
        return true;
    }

    private ValueTask WriteControlLockedAsync(byte opcode, ReadOnlySpan<byte> payload, CancellationToken cancellationToken)
    {
        if (SentClose is not null || !inner.CanWrite) return default;
        var frame = ArrayPool<byte>.Shared.Rent(2 + payload.Length);
        var length = ControlFrame.WriteServerFrame(frame, opcode, payload);
        ValueTask write;
        try { write = inner.WriteAsync(frame.AsMemory(0, length), cancellationToken); }
        catch
        {
            ArrayPool<byte>.Shared.Return(frame);
            throw;
        }
        if (!write.IsCompletedSuccessfully) return ReturnAfterAsync(write, frame);
        write.GetAwaiter().GetResult();
        ArrayPool<byte>.Shared.Return(frame);
        return default;
    }

    private static async ValueTask ReturnAfterAsync(ValueTask write, byte[] frame)
    {
        try { await write; }
        finally { ArrayPool<byte>.Shared.Return(frame); }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (SentClose is null) NoteClose(buffer.Span);
        if (!_writing.Wait(0)) return WriteWhenFreeAsync(buffer, cancellationToken);
        ValueTask write;
        try { write = inner.WriteAsync(buffer, cancellationToken); }
        catch
        {
            _writing.Release();
            throw;
        }
        if (!write.IsCompletedSuccessfully) return ReleaseAfterAsync(write, observe: false);
        write.GetAwaiter().GetResult();
        _writing.Release();
        return default;
    }

    private async ValueTask WriteWhenFreeAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try { await inner.WriteAsync(buffer, cancellationToken); }
        finally { _writing.Release(); }
    }

    private async ValueTask ReleaseAfterAsync(ValueTask write, bool observe)
    {
        try { await write; }
        catch (Exception) when (observe)
        {
            // A keep-alive ping nobody awaits: a broken connection shows in the next read or write.
        }
        finally { _writing.Release(); }
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
