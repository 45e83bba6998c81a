using System.Buffers;
using System.IO.Pipelines;

namespace Zones.Server;

/// <summary>
/// Pipelining as Kestrel and nginx do it: the answers to requests that arrived together leave
/// together, in order. A response stays in the output buffer while the next request's whole head
/// is already in the input buffer; what the buffer holds goes out before the connection waits for
/// anything — the network, a handler that does not finish at once, a request body.
/// </summary>
internal sealed class PipelinedBatch(PipeReader input, Http1Output output, ConnectionLifetime lifetime)
{
    /// <summary>True when the next request's head has fully arrived, so the response just made can wait for its company.</summary>
    public bool NextRequestArrived()
    {
        if (!input.TryRead(out var result)) return false;
        var buffer = result.Buffer;
        // One vectorised search of the first segment, where a pipelined head nearly always is;
        // the sequence's own search (byte by byte at each '\r') only when the head spans segments.
        var arrived = !result.IsCanceled && (buffer.FirstSpan.IndexOf("\r\n\r\n"u8) >= 0
            || (!buffer.IsSingleSegment && new SequenceReader<byte>(buffer).TryReadTo(out ReadOnlySequence<byte> _, "\r\n\r\n"u8)));
        input.AdvanceTo(buffer.Start); // nothing consumed, nothing examined: the next read returns it at once
        return arrived;
    }

    /// <summary>Responses wait in the output for the batch's one write (their next request had arrived whole).</summary>
    public bool HasUnflushed => output.HasUnflushed;

    /// <summary>The connection's read: buffered input when there is some, otherwise the batch goes out first and then it waits.</summary>
    // Not async itself: with nothing to flush (every request not pipelined) the pipe's own
    // ValueTask is returned as it is, so waiting for the next request allocates no state machine.
    public ValueTask<ReadResult> ReadAsync()
    {
        if (!output.HasUnflushed) return input.ReadAsync();
        if (input.TryRead(out var ready)) return new(ready);
        return FlushThenReadAsync();
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> FlushThenReadAsync()
    {
        await output.FlushAsync(lifetime.Aborted);
        return await input.ReadAsync();
    }

    /// <summary>
    /// Waits for the zones of a request without a body; if they do not finish at once, the batch
    /// goes out meanwhile (nothing else writes while they run: a bodiless request sends no 100
    /// Continue, and a take-over writes only after the zones return). A failed write aborts the
    /// connection, which the zones see through their cancellation token.
    /// </summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))] // awaited once, by the connection
    public async ValueTask<T> WhileWaitingAsync<T>(ValueTask<T> zones)
    {
        if (!zones.IsCompleted && output.HasUnflushed)
        {
            try { await output.FlushAsync(lifetime.Aborted); }
            catch (Exception e) when (ConnectionLoss.Is(e) || e is OperationCanceledException) { lifetime.Abort(); }
        }
        return await zones;
    }
}
