using System.Buffers;
using System.IO.Pipelines;

namespace Zones.Http;

/// <summary>
/// The duplex stream a take-over handler gets. It reads from the connection's pipe, so bytes the
/// server had already received past the request head come out first (Go's Hijack returns its
/// buffered reader for the same reason); writes go through the connection's watched flush.
/// When the handler is done it is detached, and a handler that kept a reference can no longer
/// touch the connection.
/// </summary>
internal sealed class TakeOverStream(PipeReader input, IResponseOutput output) : Stream
{
    private volatile bool _detached;

    public override bool CanRead => !_detached;
    public override bool CanWrite => !_detached;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public void Detach() => _detached = true;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_detached, this);
        if (buffer.IsEmpty) return 0;
        var result = await input.ReadAsync(cancellationToken);
        var data = result.Buffer;
        if (result.IsCanceled)
        {
            input.AdvanceTo(data.Start);
            throw new OperationCanceledException("The read was cancelled by the server.");
        }
        var take = (int)Math.Min(data.Length, buffer.Length);
        data.Slice(0, take).CopyTo(buffer.Span);
        input.AdvanceTo(data.GetPosition(take));
        return take; // 0 only when the peer closed its side
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_detached, this);
        output.Output.Write(buffer.Span);
        await output.FlushAsync(cancellationToken);
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
        _detached = true;
        base.Dispose(disposing);
    }
}
