using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Zones.Server;

/// <summary>
/// The duplex stream a take-over handler gets. It reads from the connection's pipe, so bytes the
/// server had already received past the request head come out first (Go's Hijack returns its
/// buffered reader for the same reason); writes go through the connection's output and its
/// timed flush. When the handler is done it is detached, and a handler that kept a reference
/// can no longer touch the connection.
/// </summary>
/// <remarks>
/// <paramref name="socket"/> is given on a plain (not TLS) connection: a zero-byte read with
/// nothing buffered then waits on the socket itself, which holds no state machine, pipe read or
/// cancellation registration while it waits (TLS may hold decrypted bytes the socket no longer
/// shows, so there it waits on the pipe). Such a wait ends when bytes arrive, the peer hangs up,
/// or the connection is cut — not when the stream is disposed: whoever disposes it to stop a
/// reader cuts the connection too.
/// </remarks>
internal sealed class TakeOverStream(PipeReader input, Http1Output output, Socket? socket = null) : Stream
{
    private volatile bool _detached;
    private int _reading;  // 1 while a ReadAsync waits on the pipe
    private int _buffered; // bytes left in the pipe after the last read: readable now without waiting

    public override bool CanRead => !_detached;
    public override bool CanWrite => !_detached;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public void Detach() => _detached = true;

    /// <summary>Bytes that can be read without waiting, as of the last read (a lower bound: more may have arrived since).</summary>
    public int Buffered => Volatile.Read(ref _buffered);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!buffer.IsEmpty || socket is null) return ReadPipeAsync(buffer, cancellationToken);
        ObjectDisposedException.ThrowIf(_detached, this);
        if (input.TryRead(out var result))
        {
            var data = result.Buffer;
            Volatile.Write(ref _buffered, (int)Math.Min(data.Length, int.MaxValue));
            input.AdvanceTo(data.Start);
            if (!data.IsEmpty || result.IsCompleted || result.IsCanceled) return ReadPipeAsync(buffer, cancellationToken);
        }
        // Nothing buffered: wait on the socket. Its own cached operation carries the wait, and
        // the bytes stay in the kernel until the pipe reads them.
        return socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, CancellationToken.None);
    }

    // Pooled: a read that waits for the peer (every WebSocket message after a pause) allocates no state machine.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadPipeAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_detached, this);
        ReadResult result;
        Volatile.Write(ref _reading, 1);
        try { result = await input.ReadAsync(cancellationToken); }
        finally { Volatile.Write(ref _reading, 0); }
        var data = result.Buffer;
        if (result.IsCanceled || _detached)
        {
            input.AdvanceTo(data.Start);
            if (_detached) throw new ObjectDisposedException(nameof(TakeOverStream), "The take-over stream was disposed while a read was waiting.");
            throw new OperationCanceledException("The read was cancelled by the server.");
        }
        if (buffer.IsEmpty)
        {
            // A zero-byte read waits for bytes (or the end) and consumes nothing, as a socket's
            // does: an idle handler waits with no buffer of its own, and no state machine of the
            // protocol above it.
            Volatile.Write(ref _buffered, (int)Math.Min(data.Length, int.MaxValue));
            input.AdvanceTo(data.Start);
            return 0;
        }
        var take = (int)Math.Min(data.Length, buffer.Length);
        data.Slice(0, take).CopyTo(buffer.Span);
        Volatile.Write(ref _buffered, (int)Math.Min(data.Length - take, int.MaxValue));
        input.AdvanceTo(data.GetPosition(take));
        return take; // 0 only when the peer closed its side
    }

    /// <summary>
    /// Copies bytes that can be read now into <paramref name="destination"/> without consuming
    /// them; returns how many. <see cref="Buffered"/> is then exact: all the bytes that are here.
    /// Not while a read waits (the pipe has one reader).
    /// </summary>
    public int Peek(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_detached, this);
        if (Volatile.Read(ref _reading) == 1) throw new InvalidOperationException("A read is waiting on the take-over stream.");
        if (!input.TryRead(out var result))
        {
            // After a wait on the socket the bytes are still in the kernel: bring them into the
            // pipe. Ask the socket first: a zero-byte receive can end with nothing there (its
            // recv(2) of no bytes returns 0), and a pipe read issued then would block this
            // synchronous call until the peer sends (tried without the ioctl: WebSocket echo
            // threads spun in sched_yield, and fewer messages got through).
            if (socket is null || socket.Available == 0) return 0;
            var read = input.ReadAsync();
            result = read.IsCompleted ? read.Result : read.AsTask().GetAwaiter().GetResult();
        }
        var data = result.Buffer;
        var take = (int)Math.Min(data.Length, destination.Length);
        data.Slice(0, take).CopyTo(destination);
        Volatile.Write(ref _buffered, (int)Math.Min(data.Length, int.MaxValue));
        input.AdvanceTo(data.Start);
        return take;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_detached, this);
        return output.WriteAsync(buffer.Span, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _detached ? Task.CompletedTask : output.FlushAsync(cancellationToken).AsTask();

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        // The connection loop owns the socket; disposing the stream only ends this handler's access.
        // A read still waiting is woken, so whoever disposed us (e.g. a WebSocket aborted by its
        // keep-alive timeout) does not leave its receive loop hanging on a silent peer.
        _detached = true;
        if (Volatile.Read(ref _reading) == 1) input.CancelPendingRead();
        base.Dispose(disposing);
    }
}
