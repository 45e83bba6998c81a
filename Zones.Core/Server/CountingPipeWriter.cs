using System.IO.Pipelines;

namespace Zones.Server;

/// <summary>
/// The connection's output as a body of declared length sees it (ResponseBodyWriter.Pipe): the
/// same buffers, but every byte is counted, so a body can never write past its Content-Length
/// (Go's ErrContentLength), and its flushes are the connection's timed ones.
/// </summary>
internal sealed class CountingPipeWriter(PipeWriter inner, Http1Output output) : PipeWriter
{
    /// <summary>The declared length of the body being written.</summary>
    public long Limit { get; private set; }

    public long Count { get; private set; }

    public void Reset(long limit)
    {
        Limit = limit;
        Count = 0;
    }

    /// <summary>Throws when <paramref name="bytes"/> more would take the body past its declared length.</summary>
    public void EnsureRoomFor(long bytes)
    {
        if (Count + bytes > Limit)
            throw new InvalidOperationException($"The response body is longer than its declared length of {Limit} bytes.");
    }

    public override void Advance(int bytes)
    {
        EnsureRoomFor(bytes);
        Count += bytes;
        inner.Advance(bytes);
    }

    /// <summary>Bytes the kernel sent for this body without passing through the buffers (sendfile).</summary>
    public void AddSent(long bytes) => Count += bytes;

    public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

    public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        await output.FlushAsync(cancellationToken);
        return new FlushResult(isCanceled: false, isCompleted: false);
    }

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    // The connection outlives the body: completing its output is the connection's call alone.
    public override void Complete(Exception? exception = null) =>
        throw new InvalidOperationException("A response body cannot complete the connection's output.");

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;
}
