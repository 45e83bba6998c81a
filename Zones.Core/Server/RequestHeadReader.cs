using System.Net;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Zones.Http;

namespace Zones.Server;

/// <summary>
/// Reads one request head off a connection, as Kestrel's TakeMessageHeaders: waits for it
/// within its deadline (the head timeout, or the keep-alive timeout before its first byte),
/// scans for its end within the limits, parses it, and tells a quiet end (closed or idle between
/// requests, or stopping) from a broken one (408, 400).
/// </summary>
/// <remarks>
/// On a plain connection (<paramref name="plainSocket"/> given) the wait between requests is a
/// zero-byte read of the socket itself when nothing is buffered, so an idle keep-alive
/// connection holds no pipe read, state machine of it or cancellation registration; a graceful
/// stop or the keep-alive deadline ends that wait through <see cref="ConnectionLifetime"/>.
/// </remarks>
internal sealed class RequestHeadReader(PipeReader input, PipelinedBatch batch, RequestReuse reuse, ServerLimits limits, ConnectionDeadlines deadlines, ConnectionLifetime lifetime, ILogger logger, long connectionId, EndPoint? remote, Socket? plainSocket = null)
{
    private readonly HeaderValueCache _headerCache = new();
    private HeadScanner _scanner;

    /// <summary>The next request's head, or null when the connection ends quietly (closed or idle between requests, or stopping).</summary>
    // Pooled: this method waits for the network on every request, and a fresh box each time
    // would be the largest allocation of a keep-alive request.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<HttpRequest?> ReadAsync(bool firstRequest)
    {
        _scanner.Reset();
        var sawBytes = false;
        deadlines.ArmRead(firstRequest ? limits.RequestHeadersTimeout : limits.KeepAliveTimeout);
        try
        {
            while (true)
            {
                // Idle between requests: a graceful shutdown may close us right here.
                if (!sawBytes && !lifetime.EnterIdle()) return null;
                ReadResult result;
                try
                {
                    // (Answers still waiting in the output go first: the batch's read flushes them before it waits.)
                    if (!sawBytes && plainSocket is not null && !batch.HasUnflushed && NothingBuffered())
                        await plainSocket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);
                    result = await batch.ReadAsync();
                }
                finally { lifetime.LeaveIdle(); }

                var buffer = result.Buffer;
                if (result.IsCanceled)
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                    if (deadlines.ReadTimedOut)
                    {
                        if (!sawBytes && buffer.IsEmpty) return null; // idle keep-alive connection: close quietly
                        throw new BadHttpRequestException(408, "The request head took too long to arrive.");
                    }
                    if (lifetime.StopRequested && buffer.IsEmpty) return null;
                    continue;
                }
                if (!sawBytes && !buffer.IsEmpty)
                {
                    sawBytes = true;
                    if (!firstRequest) deadlines.ArmRead(limits.RequestHeadersTimeout);
                }

                bool complete;
                long headEnd;
                try
                {
                    complete = _scanner.TryFindEnd(buffer, limits, out headEnd);
                }
                catch (BadHttpRequestException)
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                    throw;
                }
                if (complete)
                {
                    try { return reuse.Next(buffer.Slice(_scanner.HeadStart, headEnd - _scanner.HeadStart), _headerCache); }
                    finally { input.AdvanceTo(buffer.GetPosition(headEnd)); }
                }

                var unfinished = buffer.Length - _scanner.HeadStart;
                input.AdvanceTo(buffer.Start, buffer.End);
                if (!result.IsCompleted) continue;
                // The client stopped sending midway. With its request line there is something to
                // answer (400); before that there is not even a request: close quietly.
                if (unfinished == 0) return null;
                if (_scanner.SawRequestLine) throw BadHttpRequestException.Bad("The connection closed in the middle of a request head.");
                Log.ClosedInRequestLine(logger, connectionId, remote);
                return null;
            }
        }
        finally
        {
            deadlines.DisarmRead();
        }
    }

    /// <summary>Nothing is waiting in the pipe (no bytes, no end, no cancellation): the next read would wait for the network.</summary>
    private bool NothingBuffered()
    {
        if (!input.TryRead(out var result)) return true;
        input.AdvanceTo(result.Buffer.Start);
        return result.Buffer.IsEmpty && !result.IsCompleted && !result.IsCanceled;
    }
}
