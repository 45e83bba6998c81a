using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Zones.Http;
using Zones.Pipeline;

namespace Zones.Server;

/// <summary>
/// One accepted socket and its loop — Wibble's per-connection coroutine as an async method, and
/// Go's conn.serve: read a request head, walk the zones, write the response, repeat; or hand the
/// socket to a take-over handler. Everything written goes through <see cref="Http1Output"/>;
/// timeouts are deadlines the server's heartbeat checks (<see cref="ConnectionDeadlines"/>).
/// </summary>
internal sealed class HttpConnection : IRequestInput, IZoneConnection
{
    private readonly ZoneServer _server;
    private readonly Socket _socket;
    private readonly PipeReader _input;
    private readonly Http1Output _output;
    private readonly ConnectionDeadlines _deadlines;
    private readonly HeaderValueCache _headerCache = new();
    private readonly RequestBodyReader _body;
    private readonly CancellationTokenSource _aborted = new();
    private readonly DisconnectWatch _watch;
    private HeadScanner _scanner;
    private HttpRequest? _watchable;     // the request whose zones are running, while they run
    private TakeOverStream? _takeOver;   // the stream of the take-over in progress
    private bool _lingerOnClose;
    private int _idle;                   // 1 while waiting for a request with nothing buffered
    private int _stopRequested;          // 1 once the server asked this connection to finish

    public HttpConnection(ZoneServer server, Socket socket, long id)
    {
        _server = server;
        _socket = socket;
        Id = id;
        var stream = new NetworkStream(socket, ownsSocket: false);
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true, useZeroByteReads: true));
        _deadlines = new ConnectionDeadlines(server.Options.Limits, socket);
        _output = new Http1Output(socket, stream, _deadlines, server.ServerLine, server.Logger);
        _body = new RequestBodyReader(this);
        _watch = new DisconnectWatch(_input, CancelAborted);
        RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint;
        LocalEndPoint = socket.LocalEndPoint as IPEndPoint;
    }

    public long Id { get; }

    public IPEndPoint? RemoteEndPoint { get; }

    public IPEndPoint? LocalEndPoint { get; }

    public bool IsTakenOver => _takeOver is not null;

    private ServerLimits Limits => _server.Options.Limits;

    private bool StopRequested => Volatile.Read(ref _stopRequested) == 1;

    public async Task RunAsync()
    {
        HttpRequest? current = null; // for the access log when a request is refused midway
        try
        {
            for (var first = true; ; first = false)
            {
                var request = await ReadRequestAsync(first);
                if (request is null) break;
                current = request;
                bool keepAlive;
                try
                {
                    keepAlive = await ServeAsync(request);
                }
                finally
                {
                    await EndRequestAsync(request);
                }
                current = null;
                if (!keepAlive) break;
            }
        }
        catch (BadHttpRequestException e)
        {
            Log.BadRequest(_server.Logger, Id, RemoteEndPoint, e.Status, e.Reason);
            var bytes = await _output.TryWriteErrorAsync(e.Status, e.Reason, _aborted.Token);
            _server.Metrics.ResponseSent(e.Status, bytes);
            // Refused requests belong in the access log too (a 408, a smuggling attempt's 400);
            // "-" when the head could not be parsed into a request line.
            AccessLog(current?.ToString() ?? "-", e.Status, bytes, started: null);
            _lingerOnClose = true;
        }
        catch (Exception e) when (IsConnectionLoss(e))
        {
            Log.ConnectionLost(_server.Logger, Id, e.Message);
        }
        catch (Exception e)
        {
            Log.ConnectionFailed(_server.Logger, Id, e);
        }
        finally
        {
            await CloseAsync();
            _server.Remove(this);
        }
    }

    // ---- reading a request head ---------------------------------------------------------

    /// <summary>The next request's head, or null when the connection ends quietly (closed or idle between requests, or stopping).</summary>
    // Pooled: this method waits for the network on every request, and a fresh box each time
    // would be the largest allocation of a keep-alive request.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<HttpRequest?> ReadRequestAsync(bool firstRequest)
    {
        var limits = Limits;
        _scanner.Reset();
        var sawBytes = false;
        _deadlines.ArmRead(firstRequest ? limits.RequestHeadersTimeout : limits.KeepAliveTimeout);
        try
        {
            while (true)
            {
                if (!sawBytes)
                {
                    // Idle between requests: a graceful shutdown may close us right here.
                    Interlocked.Exchange(ref _idle, 1);
                    if (StopRequested) return null;
                }
                ReadResult result;
                try { result = await _input.ReadAsync(); }
                finally { Interlocked.Exchange(ref _idle, 0); }

                var buffer = result.Buffer;
                if (result.IsCanceled)
                {
                    _input.AdvanceTo(buffer.Start, buffer.End);
                    if (_deadlines.ReadTimedOut)
                    {
                        if (!sawBytes && buffer.IsEmpty) return null; // idle keep-alive connection: close quietly
                        throw new BadHttpRequestException(408, "The request head took too long to arrive.");
                    }
                    if (StopRequested && buffer.IsEmpty) return null;
                    continue;
                }
                if (!sawBytes && !buffer.IsEmpty)
                {
                    sawBytes = true;
                    if (!firstRequest) _deadlines.ArmRead(limits.RequestHeadersTimeout);
                }

                bool complete;
                long headEnd;
                try
                {
                    complete = _scanner.TryFindEnd(buffer, limits, out headEnd);
                }
                catch (BadHttpRequestException)
                {
                    _input.AdvanceTo(buffer.Start, buffer.End);
                    throw;
                }
                if (complete) return ParseAndConsume(buffer, headEnd);

                var unfinished = buffer.Length - _scanner.HeadStart;
                _input.AdvanceTo(buffer.Start, buffer.End);
                if (!result.IsCompleted) continue;
                // The client stopped sending midway. With its request line there is something to
                // answer (400); before that there is not even a request: close quietly.
                if (unfinished == 0) return null;
                if (_scanner.SawRequestLine) throw BadHttpRequestException.Bad("The connection closed in the middle of a request head.");
                Log.ClosedInRequestLine(_server.Logger, Id, RemoteEndPoint);
                return null;
            }
        }
        finally
        {
            _deadlines.DisarmRead();
        }
    }

    private HttpRequest ParseAndConsume(in ReadOnlySequence<byte> buffer, long headEnd)
    {
        var head = buffer.Slice(_scanner.HeadStart, headEnd - _scanner.HeadStart);
        try
        {
            if (head.IsSingleSegment) return new HttpRequest(RequestHeadParser.Parse(head.FirstSpan, _headerCache));
            var length = (int)head.Length;
            var rented = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                head.CopyTo(rented);
                return new HttpRequest(RequestHeadParser.Parse(rented.AsSpan(0, length), _headerCache));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
        finally
        {
            _input.AdvanceTo(buffer.GetPosition(headEnd));
        }
    }

    // ---- one request ----------------------------------------------------------------------

    /// <summary>Runs the zones for <paramref name="request"/> and sends their answer (or runs the take-over); true when the connection can carry another request.</summary>
    private async ValueTask<bool> ServeAsync(HttpRequest request)
    {
        var started = Stopwatch.GetTimestamp();
        request.RemoteEndPoint = RemoteEndPoint;
        request.LocalEndPoint = LocalEndPoint;
        request.ConnectionId = Id;
        var generation = _body.Reset(request.Head, request.Trailers);
        if (request.HasBody) request.Body = new RequestBodyStream(_body, generation, request.ContentLength);
        _server.Metrics.RequestStarted();
        if (request.ContentLength > Limits.MaxRequestBodySize)
            throw new BadHttpRequestException(413, "The request body is too large.");

        ZoneResponse response;
        ZoneState? responder = null;
        var mustClose = false;
        try
        {
            if (request.Path == "*")
            {
                // OPTIONS * asks about the server as a whole, not about any zone (RFC 9110 §9.3.7).
                response = new ZoneResponse(200).WithHeader(HeaderNames.Allow, "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS");
            }
            else
            {
                var (result, state) = await RunZonesAsync(request);
                if (result.Kind == ZoneResultKind.TakeOver) return await RunTakeOverAsync(state, result.TakeOverRun!, started);
                responder = state;
                response = await PrepareAsync(result.Response!);
            }
        }
        catch (BadHttpRequestException e)
        {
            // Thrown by the body reader inside a handler: the framing is broken, answer and close.
            response = ZoneResponse.ForStatus(e.Status, e.Reason);
            mustClose = true;
        }
        catch (Exception e) when (!IsConnectionLoss(e) || !_aborted.IsCancellationRequested)
        {
            Log.HandlerFailed(_server.Logger, request.ToString(), RemoteEndPoint, e);
            response = ZoneResponse.ForStatus(500);
        }
        return await FinishAsync(request, response, responder, mustClose, started);
    }

    private async ValueTask<(ZoneResult, ZoneState)> RunZonesAsync(HttpRequest request)
    {
        _watchable = request;
        try
        {
            return await ZonePipeline.RunAsync(_server.Table, new ZoneState(request), _server.Services, _aborted.Token, _server.StoppingToken, this);
        }
        finally
        {
            // The zones are done with the request: the input is the connection's again.
            _watchable = null;
            await _watch.StopAsync();
        }
    }

    /// <summary>Lets the body open its file (or whatever it needs) while a clean error can still be sent instead.</summary>
    private async ValueTask<ZoneResponse> PrepareAsync(ZoneResponse response)
    {
        try
        {
            await response.Body.PrepareAsync(_aborted.Token);
            return response;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            await response.Body.DisposeAsync();
            return ZoneResponse.ForStatus(e is UnauthorizedAccessException ? 403 : 404);
        }
        catch
        {
            await response.Body.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends the response, then decides whether the connection can carry another request.</summary>
    private async ValueTask<bool> FinishAsync(HttpRequest request, ZoneResponse response, ZoneState? responder, bool mustClose, long started)
    {
        var limits = Limits;
        var keepAlive = request.KeepAliveRequested && !mustClose && !StopRequested
            && !response.Headers.HasToken(HeaderNames.Connection, "close") && !_body.Faulted;
        if (request.HasBody && !_body.IsComplete)
        {
            // The client is still sending a body nobody read. Reading it to the end keeps the
            // connection usable; when it is too big, or was never asked for (100-continue), close.
            var tooBig = !request.IsChunked && request.ContentLength > limits.MaxDrainSize;
            if ((request.ExpectsContinue && !_body.ContinueSent) || tooBig || _body.Faulted)
            {
                keepAlive = false;
                _lingerOnClose = true;
            }
        }

        var written = await _output.WriteResponseAsync(request, response, responder?.ResponseHeaders, keepAlive, _aborted.Token);
        _server.Metrics.ResponseSent(response.Status, written.Bytes);
        if (written.MustClose) keepAlive = false;
        if (keepAlive && !_body.IsComplete && !await _body.DrainAsync(limits.MaxDrainSize))
        {
            keepAlive = false;
            _lingerOnClose = true;
        }
        _body.EndRequest();
        AccessLog(request.ToString(), response.Status, written.Bytes, started);
        return keepAlive;
    }

    /// <summary>Disposes what the request registered (a form's temporary files…), however the request ended.</summary>
    private async ValueTask EndRequestAsync(HttpRequest request)
    {
        try
        {
            await request.EndAsync();
        }
        catch (Exception e)
        {
            Log.RequestCleanupFailed(_server.Logger, request.ToString(), e);
        }
    }

    private void AccessLog(string requestLine, int status, long bytes, long? started)
    {
        var logger = _server.AccessLogger;
        if (!logger.IsEnabled(LogLevel.Information)) return;
        var milliseconds = started is { } t ? Stopwatch.GetElapsedTime(t).TotalMilliseconds : 0;
        Log.Access(logger, RemoteEndPoint?.ToString() ?? "-", requestLine, status, bytes, milliseconds);
    }

    // ---- take-over ------------------------------------------------------------------------

    /// <summary>Hands the connection to the handler until it returns; true when it gives the connection back to HTTP.</summary>
    private async ValueTask<bool> RunTakeOverAsync(ZoneState state, Func<TakeOverContext, Task<TakeOverEnd>> run, long started)
    {
        _server.Metrics.TakeOverStarted();
        var request = state.Request;
        var stream = _takeOver = new TakeOverStream(_input, _output);
        var context = new TakeOverContext(state, stream, this, _server.Services, _server.StoppingToken, _aborted.Token);
        var end = TakeOverEnd.Close;
        try
        {
            end = await run(context);
        }
        catch (Exception e) when (!IsConnectionLoss(e) && e is not OperationCanceledException)
        {
            Log.TakeOverFailed(_server.Logger, request.ToString(), e);
        }
        catch (Exception e)
        {
            Log.ConnectionLost(_server.Logger, Id, e.Message);
        }
        finally
        {
            await _watch.StopAsync();
            stream.Detach();
            _takeOver = null;
            _body.EndRequest();
        }
        AccessLog(request.ToString(), context.ResponseStatus ?? 0, 0, started);
        var continueHttp = end == TakeOverEnd.ContinueHttp && !StopRequested && !_aborted.IsCancellationRequested;
        // A protocol that ends by closing (a WebSocket's close frame) lingers: the FIN goes
        // after its last bytes and what the peer still sends is drained, so no RST destroys them.
        _lingerOnClose |= !continueHttp;
        return continueHttp;
    }

    // ---- what the handler API asks of the connection (IZoneConnection) -------------------

    // Go's net/http does the same with its background read. Started only on request, so
    // ordinary requests pay nothing. A waiting handler's request must have no body (its bytes are
    // the handler's to read); a take-over that asks reads nothing itself, so input is dropped.
    void IZoneConnection.WatchForDisconnect()
    {
        if (_takeOver is not null) _watch.Start(discardInput: true);
        else if (_watchable is { HasBody: false }) _watch.Start(discardInput: false);
    }

    ValueTask IZoneConnection.WriteTakeOverHeadAsync(int status, HttpHeaders headers, ZoneState state, CancellationToken cancellationToken) =>
        _output.WriteTakeOverHeadAsync(status, headers, state, cancellationToken);

    int IZoneConnection.Buffered => _takeOver?.Buffered ?? 0;

    private void CancelAborted()
    {
        try { _aborted.Cancel(); } catch (ObjectDisposedException) { }
    }

    // ---- what the body reader asks of the connection (IRequestInput) ---------------------

    PipeReader IRequestInput.Input => _input;

    HttpLimits IRequestInput.Limits => Limits;

    ValueTask IRequestInput.SendContinueAsync() => _output.WriteContinueAsync(_aborted.Token);

    void IRequestInput.ArmReadDeadline(TimeSpan allowed) => _deadlines.ArmRead(allowed);

    bool IRequestInput.DisarmReadDeadline() => _deadlines.DisarmRead();

    // ---- heartbeat, shutdown, close -------------------------------------------------------

    /// <summary>Called by the heartbeat about once a second, from another thread.</summary>
    public void OnHeartbeat(long now)
    {
        switch (_deadlines.OnHeartbeat(now))
        {
            case HeartbeatVerdict.ReadTimedOut:
                _input.CancelPendingRead();
                break;
            case HeartbeatVerdict.WriteStalled:
                Log.ConnectionLost(_server.Logger, Id, "the client stopped reading the response");
                Abort();
                break;
        }
    }

    /// <summary>Graceful: finish the request in progress, then close. An idle connection closes at once.</summary>
    public void RequestStop()
    {
        Interlocked.Exchange(ref _stopRequested, 1);
        if (Interlocked.CompareExchange(ref _idle, 0, 0) == 1) _input.CancelPendingRead();
    }

    /// <summary>Hard: cancel everything and cut the socket.</summary>
    public void Abort()
    {
        CancelAborted();
        try { _socket.Shutdown(SocketShutdown.Both); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        _socket.Dispose();
    }

    private async ValueTask CloseAsync()
    {
        try
        {
            // Responses are flushed already: anything left is what a take-over abandoned.
            await _output.CompleteAsync();
            if (_lingerOnClose && _socket.Connected)
                await LingeringClose.DrainAsync(_socket, TimeSpan.FromSeconds(1), 1024 * 1024);
        }
        catch (Exception e) when (IsConnectionLoss(e) || e is OperationCanceledException)
        {
        }
        finally
        {
            await _input.CompleteAsync();
            try { _socket.Shutdown(SocketShutdown.Both); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
            _socket.Dispose();
            _aborted.Cancel();
            _aborted.Dispose();
        }
    }

    internal static bool IsConnectionLoss(Exception e) =>
        e is IOException or SocketException or ObjectDisposedException or ConnectionAbortedException
        || (e is OperationCanceledException && e.InnerException is null);
}

/// <summary>The connection had to be cut (a response failed midway, or the client stopped reading).</summary>
internal sealed class ConnectionAbortedException(string message, Exception? inner = null) : IOException(message, inner);
