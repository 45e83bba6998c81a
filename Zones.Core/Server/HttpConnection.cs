using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Zones.Http;

namespace Zones.Server;

/// <summary>
/// One accepted socket and its loop — Wibble's per-connection coroutine as an async method:
/// read a request head, walk the zones, write the response, repeat; or hand the socket to a
/// take-over handler. Timeouts are deadlines checked by the server's heartbeat, so a request
/// costs no timer allocation.
/// </summary>
internal sealed class HttpConnection : IRequestInput, IResponseOutput, ITakeOverConnection
{
    private readonly ZoneServer _server;
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly HeaderValueCache _headerCache = new();
    private readonly RequestBodyReader _body;
    private readonly ResponseBodyWriter _bodyWriter;
    private readonly CancellationTokenSource _aborted = new();
    private readonly Action _startDisconnectWatch;
    private HeadScanner _scanner;
    private HttpRequest? _watchable; // the request whose zones are running, while they run
    private Task? _disconnectWatch;
    private CancellationTokenSource? _disconnectWatchStop;

    private long _readDeadline;   // Environment.TickCount64 ms; 0 = none
    private long _writeDeadline;
    private volatile bool _readTimedOut;
    private int _idle;            // 1 while waiting for a request with nothing buffered
    private int _stopRequested;   // 1 once the server asked this connection to finish
    private bool _takenOver;

    public HttpConnection(ZoneServer server, Socket socket, long id)
    {
        _server = server;
        _socket = socket;
        Id = id;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true, useZeroByteReads: true));
        _output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 4096, leaveOpen: true));
        _body = new RequestBodyReader(this);
        _bodyWriter = new ResponseBodyWriter(this);
        RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint;
        LocalEndPoint = socket.LocalEndPoint as IPEndPoint;
        _startDisconnectWatch = StartDisconnectWatch;
    }

    public long Id { get; }

    public IPEndPoint? RemoteEndPoint { get; }

    public IPEndPoint? LocalEndPoint { get; }

    public PipeReader Input => _input;

    public PipeWriter Output => _output;

    public ServerLimits Limits => _server.Options.Limits;

    private bool StopRequested => Volatile.Read(ref _stopRequested) == 1;

    public async Task RunAsync()
    {
        var lingerOnClose = false;
        HttpRequest? current = null; // for the access log when a request is refused midway
        try
        {
            var first = true;
            while (true)
            {
                var request = await ReadRequestHeadAsync(first);
                if (request is null) break;
                first = false;
                current = request;
                bool keepAlive;
                try
                {
                    (keepAlive, lingerOnClose) = await ProcessRequestAsync(request);
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
            var bytes = await TryWriteErrorAsync(e.Status, e.Reason);
            // Refused requests belong in the access log too (a 408, a smuggling attempt's 400);
            // "-" when the head could not be parsed into a request line.
            if (_server.AccessLogger.IsEnabled(LogLevel.Information))
                Log.Access(_server.AccessLogger, RemoteEndPoint?.ToString() ?? "-", current?.ToString() ?? "-", e.Status, bytes, 0);
            lingerOnClose = true;
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
            await CloseAsync(lingerOnClose);
            _server.Remove(this);
        }
    }

    // ---- reading a request head -------------------------------------------------------------

    // Pooled: this method waits for the network on every request, and a fresh box each time
    // would be the largest allocation of a keep-alive request.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<HttpRequest?> ReadRequestHeadAsync(bool firstRequest)
    {
        var limits = Limits;
        _scanner.Reset();
        var sawBytes = false;
        ArmReadDeadline(firstRequest ? limits.RequestHeadersTimeout : limits.KeepAliveTimeout);
        try
        {
            while (true)
            {
                ReadResult result;
                if (!sawBytes)
                {
                    // Idle between requests: a graceful shutdown may close us right here.
                    Interlocked.Exchange(ref _idle, 1);
                    if (StopRequested) return null;
                }
                try { result = await _input.ReadAsync(); }
                finally { Interlocked.Exchange(ref _idle, 0); }

                var buffer = result.Buffer;
                if (result.IsCanceled)
                {
                    _input.AdvanceTo(buffer.Start, buffer.End);
                    if (_readTimedOut)
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
                    if (!firstRequest) ArmReadDeadline(limits.RequestHeadersTimeout);
                }

                long headEnd;
                try
                {
                    if (!_scanner.TryFindEnd(buffer, limits, out headEnd))
                    {
                        if (result.IsCompleted)
                        {
                            _input.AdvanceTo(buffer.End);
                            if (buffer.Length - _scanner.HeadStart == 0) return null; // the client closed between requests
                            throw BadHttpRequestException.Bad("The connection closed in the middle of a request head.");
                        }
                        _input.AdvanceTo(buffer.Start, buffer.End);
                        continue;
                    }
                }
                catch (BadHttpRequestException)
                {
                    _input.AdvanceTo(buffer.Start, buffer.End);
                    throw;
                }

                var head = buffer.Slice(_scanner.HeadStart, headEnd - _scanner.HeadStart);
                HttpRequest request;
                try
                {
                    request = ParseHead(head);
                }
                finally
                {
                    _input.AdvanceTo(buffer.GetPosition(headEnd));
                }
                return request;
            }
        }
        finally
        {
            DisarmReadDeadline();
        }
    }

    private HttpRequest ParseHead(ReadOnlySequence<byte> head)
    {
        if (head.IsSingleSegment) return RequestHeadParser.Parse(head.FirstSpan, _headerCache);
        var length = (int)head.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            head.CopyTo(rented);
            return RequestHeadParser.Parse(rented.AsSpan(0, length), _headerCache);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    // ---- noticing a client that hangs up while a handler waits ---------------------------------

    // Go's net/http does the same with its background read: while the handler runs, a read on
    // the idle input sees the client's FIN or RST and cancels the request. Started only on
    // request (ZoneContext.WatchForDisconnect), so ordinary requests pay nothing.
    private void StartDisconnectWatch()
    {
        var request = _watchable;
        if (request is null || request.HasBody || _takenOver || _disconnectWatch is not null) return;
        _disconnectWatchStop = new CancellationTokenSource();
        _disconnectWatch = WatchForDisconnectAsync(_disconnectWatchStop.Token);
    }

    private async Task WatchForDisconnectAsync(CancellationToken stop)
    {
        try
        {
            var result = await _input.ReadAsync(stop);
            // Nothing is consumed or examined: bytes that arrived are the next pipelined request's.
            _input.AdvanceTo(result.Buffer.Start);
            if (result.IsCompleted && result.Buffer.IsEmpty) CancelAborted();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (IsConnectionLoss(e))
        {
            CancelAborted();
        }
    }

    private async ValueTask StopDisconnectWatchAsync()
    {
        if (_disconnectWatch is not { } watch) return;
        _disconnectWatchStop!.Cancel();
        await watch;
        _disconnectWatchStop.Dispose();
        _disconnectWatchStop = null;
        _disconnectWatch = null;
    }

    private void CancelAborted()
    {
        try { _aborted.Cancel(); } catch (ObjectDisposedException) { }
    }

    // ---- one request ----------------------------------------------------------------------

    private async ValueTask<(bool KeepAlive, bool Linger)> ProcessRequestAsync(HttpRequest request)
    {
        var started = Stopwatch.GetTimestamp();
        request.RemoteEndPoint = RemoteEndPoint;
        request.LocalEndPoint = LocalEndPoint;
        request.ConnectionId = Id;
        request.DisconnectWatch = _startDisconnectWatch;
        _body.Reset(request);
        if (request.HasBody) request.Body = new RequestBodyStream(_body, request);
        _server.Metrics.RequestStarted();

        var limits = Limits;
        if (request.ContentLength > limits.MaxRequestBodySize)
            throw new BadHttpRequestException(413, "The request body is too large.");

        ZoneResponse response;
        ZoneState? responder = null;
        var mustClose = false;
        try
        {
            if (request.Path == "*")
            {
                // OPTIONS * asks about the server as a whole, not about any zone (RFC 9110 §9.3.7).
                var options = new ZoneResponse(200).WithHeader(HeaderNames.Allow, "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS");
                return await FinishAsync(request, options, null, mustClose: false, started);
            }
            ZoneResult result;
            ZoneState state;
            _watchable = request;
            try
            {
                (result, state) = await ZonePipeline.RunAsync(_server.Table, new ZoneState(request), _server.Services, _aborted.Token, _server.StoppingToken);
            }
            finally
            {
                // The zones are done with the request: the input is the connection's again.
                _watchable = null;
                await StopDisconnectWatchAsync();
            }
            if (result.Kind == ZoneResultKind.TakeOver)
            {
                // A protocol that ends by closing (a WebSocket's close frame) lingers: the FIN goes
                // after its last bytes and what the peer still sends is drained, so no RST destroys them.
                var continueHttp = await RunTakeOverAsync(state, result.TakeOverRun!, started);
                return (continueHttp, !continueHttp);
            }
            response = result.Response!;
            responder = state;
            response = await PrepareAsync(response, request);
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

    /// <summary>Sends the response, then decides whether the connection can carry another request.</summary>
    private async ValueTask<(bool KeepAlive, bool Linger)> FinishAsync(HttpRequest request, ZoneResponse response, ZoneState? responder, bool mustClose, long started)
    {
        var limits = Limits;
        var keepAlive = request.KeepAliveRequested && !mustClose && !StopRequested
            && !response.Headers.HasToken(HeaderNames.Connection, "close") && !_body.Faulted;
        var linger = false;
        if (request.HasBody && !_body.IsComplete)
        {
            // The client is still sending a body nobody read. Reading it to the end keeps the
            // connection usable; when it is too big, or was never asked for (100-continue), close.
            var tooBig = !request.IsChunked && request.ContentLength > limits.MaxDrainSize;
            if ((request.ExpectsContinue && !_body.ContinueSent) || tooBig || _body.Faulted)
            {
                keepAlive = false;
                linger = true;
            }
            // Closing anyway (a 413 from a handler, Connection: close, a stop) with the body still
            // coming: linger too, or the kernel resets the connection under a client still sending.
            else if (!keepAlive) linger = true;
        }

        var (bytes, closeDelimited) = await WriteResponseAsync(request, response, responder, keepAlive);
        if (closeDelimited) keepAlive = false;

        if (keepAlive && !_body.IsComplete && !await _body.DrainAsync(limits.MaxDrainSize))
        {
            keepAlive = false;
            linger = true;
        }
        _body.EndRequest();
        AccessLog(request, response.Status, bytes, started);
        return (keepAlive, linger);
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

    /// <summary>Lets the body open its file (or whatever it needs) while a clean error can still be sent instead.</summary>
    private async ValueTask<ZoneResponse> PrepareAsync(ZoneResponse response, HttpRequest request)
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

    /// <summary>Writes head and body. Returns the body bytes sent and whether the body is delimited by closing the connection.</summary>
    private async ValueTask<(long Bytes, bool CloseDelimited)> WriteResponseAsync(HttpRequest request, ZoneResponse response, ZoneState? state, bool keepAlive)
    {
        var body = response.Body;
        try
        {
            var status = response.Status;
            var bodyAllowed = status >= 200 && status != 204 && status != 304;
            var length = bodyAllowed ? body.Length : null;
            var chunked = bodyAllowed && length is null && request.Version == HttpVersion.Http11;
            var closeDelimited = bodyAllowed && length is null && request.Version == HttpVersion.Http10 && !request.IsHead;
            if (closeDelimited) keepAlive = false;

            var connection = !keepAlive ? ConnectionHeader.Close
                : request.Version == HttpVersion.Http10 ? ConnectionHeader.KeepAlive : ConnectionHeader.None;
            ResponseHeadWriter.Write(_output, status, response.Headers, state?.ResponseHeaders, length, chunked, connection, _server.ServerLine);

            long sent = 0;
            if (bodyAllowed && !request.IsHead && length != 0)
            {
                var writer = _bodyWriter;
                writer.Reset(chunked, length);
                try
                {
                    await body.WriteAsync(writer, _aborted.Token);
                    writer.Finish();
                }
                catch (Exception e) when (!IsConnectionLoss(e))
                {
                    // The head is gone: there is no way to tell the client but to cut the connection.
                    Log.ResponseFailed(_server.Logger, request.ToString(), e);
                    throw new ConnectionAbortedException("The response body failed after the head was sent.", e);
                }
                sent = length ?? writer.BytesWritten;
            }
            await FlushAsync(_aborted.Token);
            _server.Metrics.ResponseSent(status, sent);
            return (sent, closeDelimited);
        }
        finally
        {
            await body.DisposeAsync();
        }
    }

    private void AccessLog(HttpRequest request, int status, long bytes, long started)
    {
        var logger = _server.AccessLogger;
        if (!logger.IsEnabled(LogLevel.Information)) return;
        Log.Access(logger, RemoteEndPoint?.ToString() ?? "-", request.ToString(), status, bytes, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    // ---- take-over ------------------------------------------------------------------------

    private async ValueTask<bool> RunTakeOverAsync(ZoneState state, Func<TakeOverContext, Task<TakeOverEnd>> run, long started)
    {
        _takenOver = true;
        _server.Metrics.TakeOverStarted();
        var request = state.Request;
        var stream = new TakeOverStream(_input, this);
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
            stream.Detach();
            _takenOver = false;
            _body.EndRequest();
        }
        AccessLog(request, context.ResponseStatus ?? 0, 0, started);
        return end == TakeOverEnd.ContinueHttp && !StopRequested && !_aborted.IsCancellationRequested;
    }

    public async ValueTask WriteTakeOverHeadAsync(int status, HttpHeaders headers, ZoneState state, CancellationToken cancellationToken)
    {
        ResponseHeadWriter.Write(_output, status, headers, state.ResponseHeaders, contentLength: null, chunked: false, ConnectionHeader.Handler, _server.ServerLine);
        await FlushAsync(cancellationToken);
    }

    // ---- output ---------------------------------------------------------------------------

    public async ValueTask SendContinueAsync()
    {
        _output.Write("HTTP/1.1 100 Continue\r\n\r\n"u8);
        await FlushAsync(_aborted.Token);
    }

    /// <summary>Flushes with a deadline from the minimum response data rate: a client that stops reading is cut off.</summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (Limits.MinResponseDataRate > 0) ArmWriteDeadline();
        try
        {
            var result = await _output.FlushAsync(cancellationToken);
            if (result.IsCanceled) throw new OperationCanceledException("The write was cancelled.");
        }
        finally
        {
            Volatile.Write(ref _writeDeadline, 0);
        }
    }

    /// <summary>The time the bytes waiting in the output may take to leave: the grace period, plus their size at the minimum data rate unless <paramref name="graceOnly"/>.</summary>
    private void ArmWriteDeadline(bool graceOnly = false, long? pendingBytes = null)
    {
        var limits = Limits;
        var pending = pendingBytes ?? (_output.CanGetUnflushedBytes ? _output.UnflushedBytes : 0);
        var allowed = limits.MinResponseDataRateGracePeriod
            + (limits.MinResponseDataRate > 0 && !graceOnly ? TimeSpan.FromSeconds(pending / limits.MinResponseDataRate) : TimeSpan.Zero);
        Volatile.Write(ref _writeDeadline, Environment.TickCount64 + (long)allowed.TotalMilliseconds);
    }

    /// <summary>
    /// sendfile for a file range of a raw-framed body: flush what is buffered (the head), then let
    /// the kernel copy the file to the socket in slices, each under the minimum-data-rate deadline.
    /// </summary>
    public async ValueTask<bool> TrySendFileAsync(Microsoft.Win32.SafeHandles.SafeFileHandle file, long offset, long length, CancellationToken cancellationToken)
    {
        // SendPacketsAsync takes only handles opened for asynchronous I/O (FileOptions.Asynchronous).
        if (!file.IsAsync) return false;
        await FlushAsync(cancellationToken);
        const int Slice = 4 * 1024 * 1024;
        while (length > 0)
        {
            var count = (int)Math.Min(Slice, length);
            if (Limits.MinResponseDataRate > 0) ArmWriteDeadline(pendingBytes: count);
            try
            {
                await SendFile.SendAsync(_socket, file, offset, count, cancellationToken);
            }
            finally
            {
                Volatile.Write(ref _writeDeadline, 0);
            }
            offset += count;
            length -= count;
        }
        return true;
    }

    /// <summary>Answers a request the server refused; returns the body bytes sent (0 when the client was gone).</summary>
    private async ValueTask<long> TryWriteErrorAsync(int status, string reason)
    {
        try
        {
            var response = ZoneResponse.ForStatus(status, reason);
            ResponseHeadWriter.Write(_output, status, response.Headers, null, response.Body.Length, chunked: false, ConnectionHeader.Close, _server.ServerLine);
            _bodyWriter.Reset(chunked: false, response.Body.Length);
            await response.Body.WriteAsync(_bodyWriter, CancellationToken.None);
            await FlushAsync(_aborted.Token);
            _server.Metrics.ResponseSent(status, response.Body.Length ?? 0);
            return response.Body.Length ?? 0;
        }
        catch (Exception e) when (IsConnectionLoss(e))
        {
            // The client is gone; nothing to tell it.
            return 0;
        }
    }

    // ---- deadlines, shutdown, close -------------------------------------------------------

    public void ArmReadDeadline(TimeSpan allowed)
    {
        _readTimedOut = false;
        Volatile.Write(ref _readDeadline, Environment.TickCount64 + (long)allowed.TotalMilliseconds);
    }

    public bool DisarmReadDeadline()
    {
        Volatile.Write(ref _readDeadline, 0);
        return _readTimedOut;
    }

    /// <summary>Called by the heartbeat about once a second, from another thread.</summary>
    public void OnHeartbeat(long now)
    {
        var readDeadline = Volatile.Read(ref _readDeadline);
        if (readDeadline != 0 && now >= readDeadline)
        {
            _readTimedOut = true;
            Volatile.Write(ref _readDeadline, 0);
            _input.CancelPendingRead();
        }
        var writeDeadline = Volatile.Read(ref _writeDeadline);
        if (writeDeadline != 0 && now >= writeDeadline)
        {
            Log.ConnectionLost(_server.Logger, Id, "the client stopped reading the response");
            Abort();
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
        try { _aborted.Cancel(); } catch (ObjectDisposedException) { }
        try { _socket.Shutdown(SocketShutdown.Both); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        _socket.Dispose();
    }

    public bool IsTakenOver => _takenOver;

    private async ValueTask CloseAsync(bool linger)
    {
        try
        {
            // Completing writes out what is still buffered. Responses are flushed already, so
            // anything left is a write a take-over abandoned because the client stopped reading:
            // give it the grace period only, or that client would hold the connection for ever.
            ArmWriteDeadline(graceOnly: true);
            await _output.CompleteAsync();
            Volatile.Write(ref _writeDeadline, 0);
            if (linger && _socket.Connected)
            {
                // Closing with unread request bytes makes the kernel send RST, which can destroy the
                // response still in flight. Half-close, then read and drop what the client still sends.
                _socket.Shutdown(SocketShutdown.Send);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                var scratch = ArrayPool<byte>.Shared.Rent(4096);
                try
                {
                    long total = 0;
                    while (total < 1024 * 1024)
                    {
                        var n = await _socket.ReceiveAsync(scratch, SocketFlags.None, cts.Token);
                        if (n == 0) break;
                        total += n;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(scratch);
                }
            }
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
