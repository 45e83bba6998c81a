using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Zones.Http;
using Zones.Pipeline;
using Zones.Tls;

namespace Zones.Server;

/// <summary>
/// One accepted socket and its loop — Wibble's per-connection coroutine as an async method, and
/// Go's conn.serve: read a request head, walk the zones, write the response, repeat; or hand the
/// socket to a take-over handler. Everything written goes through <see cref="Http1Output"/>;
/// timeouts are deadlines the server's heartbeat checks (<see cref="ConnectionDeadlines"/>).
/// </summary>
internal sealed class HttpConnection : IZoneConnection
{
    private readonly ZoneServer _server;
    private readonly Socket _socket;
    private readonly PipeReader _input;
    private readonly Http1Output _output;
    private readonly ConnectionDeadlines _deadlines;
    private readonly RequestBodyReader _body;
    private DisconnectWatch? _watch;     // made when a handler first asks for it: most connections never do
    private readonly PipelinedBatch _batch;
    private readonly RequestHeadReader _heads;
    private readonly RequestReuse _reuse;
    private HttpRequest? _watchable;     // the request whose zones are running, while they run
    private TakeOverStream? _takeOver;   // the stream of the take-over in progress
    private TakeOverNext? _takeOverNext; // set by ServeAsync when the zones asked for a take-over
    private bool _lingerOnClose;
    private readonly TlsListener? _tls;          // an https:// listener's: the handshake comes first
    private readonly SslStream? _ssl;
    private readonly Stream? _transport;         // under _ssl: the socket's stream, or one that reads the ClientHello ahead
    private X509Certificate2? _clientCertificate;

    public HttpConnection(ZoneServer server, Socket socket, long id, TlsListener? tls = null)
    {
        _server = server;
        _socket = socket;
        Id = id;
        Stream stream = new NetworkStream(socket, ownsSocket: false);
        if (tls is not null) stream = _ssl = new SslStream(_transport = tls.Transport(stream), leaveInnerStreamOpen: false);
        _tls = tls;
        // Zero-byte reads (wait for bytes before renting a buffer) only through TLS: on a plain
        // connection the waits that matter — between requests, between WebSocket messages — are
        // zero-byte reads of the socket itself, and a second one in the pipe cost a recv(2) more
        // per request.
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true, useZeroByteReads: tls is not null));
        _deadlines = new ConnectionDeadlines(server.Options.Limits, socket);
        _output = new Http1Output(socket, stream, _deadlines, tls?.Fields ?? server.PlainFields, server.Logger);
        Lifetime = new ConnectionLifetime(socket, _input, _deadlines, server.Logger, id);
        _body = new RequestBodyReader(new BodyInput(_input, server.Options.Limits, _output, _deadlines, Lifetime));
        _batch = new PipelinedBatch(_input, _output, Lifetime);
        _reuse = new RequestReuse(server.Services, Lifetime.Aborted, server.StoppingToken, this);
        RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint;
        LocalEndPoint = socket.LocalEndPoint as IPEndPoint;
        _heads = new RequestHeadReader(_input, _batch, _reuse, server.Options.Limits, _deadlines, Lifetime, server.Logger, id, RemoteEndPoint, tls is null ? socket : null);
    }

    public long Id { get; }

    public IPEndPoint? RemoteEndPoint { get; }

    public IPEndPoint? LocalEndPoint { get; }

    private ServerLimits Limits => _server.Options.Limits;

    /// <summary>The heartbeat, a graceful stop and an abort, which reach the connection from other threads.</summary>
    public ConnectionLifetime Lifetime { get; }

    private bool StopRequested => Lifetime.StopRequested;

    public async Task RunAsync()
    {
        HttpRequest? current = null; // for the access log when a request is refused midway
        try
        {
            if (_tls is not null)
            {
                if (!await _tls.HandshakeAsync(_ssl!, _transport!, _server.Logger, Id, Lifetime.Aborted)) return;
                _clientCertificate = _ssl!.RemoteCertificate as X509Certificate2;
            }
            for (var first = true; ; first = false)
            {
                var request = await _heads.ReadAsync(first);
                if (request is null) break;
                current = request;
                bool keepAlive;
                try
                {
                    keepAlive = await ServeAsync(request);
                    if (_takeOverNext is { } next)
                    {
                        // Awaited here, in the loop's own frame: a WebSocket that idles for hours
                        // holds this one waiting method, not ServeAsync's and a take-over method's too.
                        // Its parts live in `next`, not in locals: the frame of every connection's
                        // loop has room for its locals, whether it ever takes over or not.
                        _takeOverNext = null;
                        try { next.End = await BeginTakeOver(next); }
                        catch (Exception e) { TakeOverThrew(next.State.Request, e); }
                        finally { await EndTakeOverAsync(next.Stream); }
                        keepAlive = TakeOverEnded(next);
                    }
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
            var bytes = await _output.TryWriteErrorAsync(e.Status, e.Reason, Lifetime.Aborted);
            _server.Metrics.ResponseSent(e.Status, bytes);
            // Refused requests belong in the access log too (a 408, a smuggling attempt's 400);
            // "-" when the head could not be parsed into a request line.
            AccessLog(current, user: null, e.Status, bytes, started: null);
            _lingerOnClose = true;
        }
        catch (Exception e) when (ConnectionLoss.Is(e))
        {
            Log.ConnectionLost(_server.Logger, Id, e.Message);
        }
        catch (Exception e)
        {
            Log.ConnectionFailed(_server.Logger, Id, e);
        }
        finally
        {
            await Lifetime.CloseAsync(_output, _lingerOnClose, _ssl);
            _server.Remove(this);
        }
    }

    // ---- one request ----------------------------------------------------------------------

    /// <summary>Runs the zones for <paramref name="request"/> and sends their answer (or runs the take-over); true when the connection can carry another request.</summary>
    // Pooled, as the methods below it that run once a request: a handler that awaits something
    // makes each of them wait, and a fresh box each (about 240 B) would be most of what the request
    // allocates. Each is awaited once, by its one caller, as pooling requires.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ServeAsync(HttpRequest request)
    {
        // The access log's duration; without a log the clock is not read (once a request, it shows in a pipelined profile).
        long? started = _server.LogsAccess ? Stopwatch.GetTimestamp() : null;
        request.RemoteEndPoint = RemoteEndPoint;
        request.LocalEndPoint = LocalEndPoint;
        request.ConnectionId = Id;
        request.IsHttps = _ssl is not null;
        request.ClientCertificate = _clientCertificate;
        var generation = _body.Reset(request.Head, request.Trailers);
        if (request.HasBody) request.Body = new RequestBodyStream(_body, generation, request.ContentLength);
        _server.Metrics.RequestStarted();
        if (request.ContentLength > Limits.MaxRequestBodySize)
            throw new BadHttpRequestException(413, "The request body is too large.");
        // The zones may write (100 Continue) or wait while they read a body: the batch goes first.
        if (request.HasBody && _output.HasUnflushed) await _output.FlushAsync(Lifetime.Aborted);

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
                if (result.Kind == ZoneResultKind.TakeOver)
                {
                    _takeOverNext = new TakeOverNext(state, result.TakeOverRun!, started); // RunAsync runs it
                    return false;
                }
                responder = state;
                response = await Http1Output.PrepareAsync(result.Response!, Lifetime.Aborted);
            }
        }
        catch (BadHttpRequestException e)
        {
            // Thrown by the body reader inside a handler: the framing is broken, answer and close.
            response = ZoneResponse.ForStatus(e.Status, e.Reason);
            mustClose = true;
        }
        catch (Exception e) when (OutOfDescriptors.Is(e))
        {
            // Overloaded for a moment, not broken: the client is told to come back, and the
            // connection closes to give its descriptor back.
            if (_server.DescriptorWarnings.ShouldLog(out var unlogged)) Log.OutOfDescriptors(_server.Logger, request.ToString(), e.Message, unlogged);
            response = ZoneResponse.ForStatus(503, "out of file descriptors").WithHeader(HeaderNames.RetryAfter, "1");
            mustClose = true;
        }
        catch (Exception e) when (!ConnectionLoss.Is(e) || !Lifetime.IsAborted)
        {
            Log.HandlerFailed(_server.Logger, request.ToString(), RemoteEndPoint, e);
            response = ZoneResponse.ForStatus(500);
        }
        return await FinishAsync(request, response, responder, mustClose, started);
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(ZoneResult, ZoneState)> RunZonesAsync(HttpRequest request)
    {
        _watchable = request;
        try
        {
            var zones = ZonePipeline.RunAsync(_server.Table, _reuse.FirstState(request), _server.Services, Lifetime.Aborted, _server.StoppingToken, this, _reuse);
            return request.HasBody ? await zones : await _batch.WhileWaitingAsync(zones);
        }
        finally
        {
            // The zones are done with the request: the input is the connection's again.
            _watchable = null;
            if (_watch is not null) await _watch.StopAsync();
        }
    }

    /// <summary>Sends the response, then decides whether the connection can carry another request.</summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> FinishAsync(HttpRequest request, ZoneResponse response, ZoneState? responder, bool mustClose, long? started)
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
            // Closing anyway (a 413 from a handler, Connection: close, a stop) with the body still
            // coming: linger too, or the kernel resets the connection under a client still sending.
            else if (!keepAlive) _lingerOnClose = true;
        }

        // A pipelined request already (partly) here: this answer leaves with the next ones'.
        var flush = !keepAlive || !_body.IsComplete || !_batch.NextRequestStarted();
        var written = await _output.WriteResponseAsync(request, response, responder, keepAlive, flush, Lifetime.Aborted);
        _server.Metrics.ResponseSent(response.Status, written.Bytes);
        if (written.MustClose) keepAlive = false;
        if (keepAlive && !_body.IsComplete && !await _body.DrainAsync(limits.MaxDrainSize))
        {
            keepAlive = false;
            _lingerOnClose = true;
        }
        _body.EndRequest();
        AccessLog(request, responder?.User, response.Status, written.Bytes, started);
        return keepAlive;
    }

    /// <summary>Disposes what the request registered (a form's temporary files…), however the request ended.</summary>
    private async ValueTask EndRequestAsync(HttpRequest request)
    {
        try { await request.EndAsync(); }
        catch (Exception e) { Log.RequestCleanupFailed(_server.Logger, request.ToString(), e); }
    }

    private void AccessLog(HttpRequest? request, string? user, int status, long bytes, long? started) =>
        _server.LogAccess(RemoteEndPoint, request, user, status, bytes, started);

    // ---- take-over ------------------------------------------------------------------------

    /// <summary>Hands the connection to the handler; the caller awaits the task it returns.</summary>
    private Task<TakeOverEnd> BeginTakeOver(TakeOverNext next)
    {
        _server.Metrics.TakeOverStarted();
        _reuse.GiveUp(); // the handler may keep the request, its context and state: never reset them
        next.Stream = _takeOver = new TakeOverStream(_input, _output, _ssl is null ? _socket : null);
        next.Context = new TakeOverContext(next.State, next.Stream, this, _server.Services, _server.StoppingToken, Lifetime.Aborted);
        try { return next.Run(next.Context); }
        catch (Exception e) { return Task.FromException<TakeOverEnd>(e); } // thrown before its first await: the same as after
    }

    private void TakeOverThrew(HttpRequest request, Exception e)
    {
        if (!ConnectionLoss.Is(e) && e is not OperationCanceledException) Log.TakeOverFailed(_server.Logger, request.ToString(), e);
        else Log.ConnectionLost(_server.Logger, Id, e.Message);
    }

    /// <summary>Takes the connection back from the handler, however it ended.</summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))] // once a take-over, awaited once
    private async ValueTask EndTakeOverAsync(TakeOverStream? stream)
    {
        if (_watch is not null) await _watch.StopAsync();
        stream?.Detach();
        _takeOver = null;
        _body.EndRequest();
    }

    /// <summary>Logs the take-over; true when its handler gave the connection back to HTTP.</summary>
    private bool TakeOverEnded(TakeOverNext next)
    {
        AccessLog(next.State.Request, next.State.User, next.Context?.ResponseStatus ?? 0, 0, next.Started);
        var continueHttp = next.End == TakeOverEnd.ContinueHttp && !StopRequested && !Lifetime.IsAborted;
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
        if (_takeOver is not null) Watch().Start(discardInput: true);
        else if (_watchable is { HasBody: false }) Watch().Start(discardInput: false);
    }

    private DisconnectWatch Watch() => _watch ??= new DisconnectWatch(_input, Lifetime.CancelAborted);

    ValueTask IZoneConnection.WriteTakeOverHeadAsync(int status, HttpHeaders headers, ZoneState state, CancellationToken cancellationToken) =>
        _output.WriteTakeOverHeadAsync(status, headers, state, cancellationToken);

    int IZoneConnection.Buffered => _takeOver?.Buffered ?? 0;

    int IZoneConnection.Peek(Span<byte> destination) => _takeOver?.Peek(destination) ?? 0;

    void IZoneConnection.Abort() => Lifetime.Abort();
}
