using System.IO.Pipelines;

namespace Zones.Server;

/// <summary>
/// Pipelining as Kestrel and nginx do it: the answers to requests that arrived together leave
/// together, in order. A response stays in the output buffer while bytes of the next request are
/// already in the input buffer; the batch goes out before the connection waits for anything — the
/// network, a handler that does not finish at once, a request body — or when it reaches
/// <see cref="Http1Output.MaxBatchBytes"/>. A read that more of the batch completes at once (it was already in the
/// socket: a batch larger than one read, a browser's heads of 700 bytes each) adds its answers to
/// the same write.
/// </summary>
internal sealed class PipelinedBatch(PipeReader input, Http1Output output, ConnectionLifetime lifetime)
{
    /// <summary>True when bytes of the next request are already buffered, so the response just made can wait for its company.</summary>
    public bool NextRequestStarted()
    {
        if (!input.TryRead(out var result)) return false;
        var started = !result.IsCanceled && !result.Buffer.IsEmpty;
        input.AdvanceTo(result.Buffer.Start); // nothing consumed, nothing examined: the next read returns it at once
        return started;
    }

    /// <summary>Responses wait in the output for the batch's one write (the next request had begun to arrive).</summary>
    public bool HasUnflushed => output.HasUnflushed;

    /// <summary>The connection's read: buffered input when there is some, else a read of the socket; the batch goes out while that read waits.</summary>
    // Not async itself: with nothing to flush (every request not pipelined) the pipe's own
    // ValueTask is returned as it is, so waiting for the next request allocates no state machine.
    public ValueTask<ReadResult> ReadAsync()
    {
        if (!output.HasUnflushed) return input.ReadAsync();
        if (input.TryRead(out var ready)) return new(ready);
        var read = input.ReadAsync();
        return read.IsCompleted ? read : FlushWhileReadingAsync(read);
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> FlushWhileReadingAsync(ValueTask<ReadResult> read)
    {
        await FlushAsync();
        return await read;
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
        if (!zones.IsCompleted && output.HasUnflushed) await FlushAsync();
        return await zones;
    }

    /// <summary>Sends the batch while something else (a read, the zones) is pending, which must still be awaited: a failed write aborts the connection instead of throwing.</summary>
    private async ValueTask FlushAsync()
    {
        try { await output.FlushAsync(lifetime.Aborted); }
        catch (Exception e) when (ConnectionLoss.Is(e) || e is OperationCanceledException) { lifetime.Abort(); }
    }
}
