using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;

namespace Zones.Http;

/// <summary>What the body reader needs from its connection.</summary>
internal interface IRequestInput
{
    PipeReader Input { get; }

    HttpLimits Limits { get; }

    /// <summary>Writes "HTTP/1.1 100 Continue" and flushes it.</summary>
    ValueTask SendContinueAsync();

    /// <summary>Cancels the pending read if no data came within <paramref name="allowed"/>.</summary>
    void ArmReadDeadline(TimeSpan allowed);

    /// <summary>Stops the deadline; true when it had fired.</summary>
    bool DisarmReadDeadline();
}

/// <summary>
/// Reads one request's body from the connection: Content-Length or chunked, sending 100 Continue
/// on the first read (unless the body is already arriving), enforcing the size limit and the
/// minimum upload rate. One per connection, reset for each request. Once it fails it stays failed, so a handler that swallowed the error
/// cannot make the connection parse the rest of a bad body as the next request.
/// </summary>
internal sealed class RequestBodyReader(IRequestInput connection)
{
    private bool _active;               // a request's body is current (false between requests)
    private bool _isChunked;
    private bool _expectsContinue;
    private HttpHeaders? _trailers;
    private int _generation;            // which request's body: a stream from an earlier one stops working
    private long _remaining;            // Content-Length bytes still to come
    private ChunkedDecoder _chunked;
    private long _bytesRead;
    private TimeSpan _timeWaited;        // time spent waiting for body bytes, for the data rate
    private BadHttpRequestException? _fault;

    public bool IsComplete { get; private set; } = true;

    /// <summary>The client was told to send its body (100 Continue), or had sent it without waiting to be told.</summary>
    public bool ContinueSent { get; private set; }

    public bool Faulted => _fault is not null;

    /// <summary>Starts the body of a new request; returns its generation, which a body stream keeps to know it is still current.</summary>
    public int Reset(in RequestHead head, HttpHeaders trailers)
    {
        _active = true;
        _isChunked = head.IsChunked;
        _expectsContinue = head.ExpectsContinue;
        _trailers = trailers;
        _chunked.Reset();
        _remaining = head.ContentLength ?? 0;
        _bytesRead = 0;
        _timeWaited = TimeSpan.Zero;
        _fault = null;
        ContinueSent = false;
        IsComplete = !head.HasBody;
        return ++_generation;
    }

    /// <summary>The request ended: any stream still held by a handler stops working.</summary>
    public void EndRequest() => _active = false;

    public bool IsCurrent(int generation) => _active && _generation == generation;

    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (_fault is not null) throw _fault;
        if (IsComplete || destination.IsEmpty) return 0;
        var input = connection.Input;
        if (_expectsContinue && !ContinueSent)
        {
            ContinueSent = true;
            if (!BodyHasArrived(input)) await connection.SendContinueAsync();
        }

        while (true)
        {
            var result = await ReadWithRateLimitAsync(input, cancellationToken);
            var buffer = result.Buffer;
            if (!_isChunked)
            {
                if (buffer.IsEmpty && result.IsCompleted)
                {
                    input.AdvanceTo(buffer.End);
                    throw Fail(BadHttpRequestException.Bad("The request body ended before its Content-Length."));
                }
                var take = (int)Math.Min(Math.Min(buffer.Length, _remaining), destination.Length);
                buffer.Slice(0, take).CopyTo(destination.Span);
                input.AdvanceTo(buffer.GetPosition(take));
                _remaining -= take;
                _bytesRead += take;
                if (_remaining == 0) IsComplete = true;
                return take;
            }

            int copied;
            SequencePosition consumed;
            try
            {
                copied = _chunked.Decode(buffer, destination.Span, _trailers!, connection.Limits, out consumed);
            }
            catch (BadHttpRequestException e)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                throw Fail(e);
            }
            var needMore = copied == 0 && !_chunked.IsDone;
            input.AdvanceTo(consumed, needMore ? buffer.End : consumed);
            _bytesRead += copied;
            if (connection.Limits.MaxRequestBodySize is { } max && _chunked.DeclaredBytes > max)
                throw Fail(new BadHttpRequestException(413, "The request body is too large."));
            if (_chunked.IsDone) IsComplete = true;
            if (copied > 0 || IsComplete) return copied;
            if (result.IsCompleted) throw Fail(BadHttpRequestException.Bad("The request body ended before its last chunk."));
        }
    }

    /// <summary>
    /// True when body bytes are already buffered: the client did not wait for 100 Continue, so it
    /// gets none (RFC 9110 §10.1.1 allows that; a client or scanner may take a 100 it did not wait
    /// for as the final answer). Looks without consuming.
    /// </summary>
    private static bool BodyHasArrived(PipeReader input)
    {
        if (!input.TryRead(out var result)) return false;
        var arrived = !result.Buffer.IsEmpty;
        input.AdvanceTo(result.Buffer.Start);
        return arrived;
    }

    /// <summary>
    /// Reads and discards what is left of the body so the connection can carry another request.
    /// False when that is not possible (too much left, too slow, malformed, or the client was
    /// never told to send it): the caller closes the connection instead.
    /// </summary>
    public async ValueTask<bool> DrainAsync(long limit)
    {
        if (IsComplete) return _fault is null;
        if (_fault is not null || !_active) return false;
        if (_expectsContinue && !ContinueSent) return false;
        if (!_isChunked && _remaining > limit) return false;
        var scratch = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long drained = 0;
            while (!IsComplete)
            {
                var n = await ReadAsync(scratch, CancellationToken.None);
                drained += n;
                if (drained > limit) return false;
            }
            return true;
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException or OperationCanceledException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private async ValueTask<ReadResult> ReadWithRateLimitAsync(PipeReader input, CancellationToken cancellationToken)
    {
        var limits = connection.Limits;
        if (limits.MinRequestBodyDataRate <= 0)
            return await input.ReadAsync(cancellationToken);

        // The upload may average no less than the minimum rate, counting only time spent waiting
        // for it (not time the handler spends elsewhere), after a grace period.
        var allowed = limits.MinRequestBodyDataRateGracePeriod
            + TimeSpan.FromSeconds((_bytesRead + 1) / limits.MinRequestBodyDataRate) - _timeWaited;
        if (allowed < TimeSpan.FromSeconds(1)) allowed = TimeSpan.FromSeconds(1);
        var started = Stopwatch.GetTimestamp();
        connection.ArmReadDeadline(allowed);
        ReadResult result;
        try
        {
            result = await input.ReadAsync(cancellationToken);
        }
        finally
        {
            _timeWaited += Stopwatch.GetElapsedTime(started);
        }
        var timedOut = connection.DisarmReadDeadline();
        if (result.IsCanceled)
        {
            input.AdvanceTo(result.Buffer.Start);
            if (timedOut) throw Fail(new BadHttpRequestException(408, "The request body arrived too slowly."));
            throw new OperationCanceledException("The connection is closing.");
        }
        return result;
    }

    private BadHttpRequestException Fail(BadHttpRequestException e)
    {
        _fault = e;
        return e;
    }
}
