using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Zones.Acme;
using Zones.Pipeline;
using Zones.Http;
using Zones.Tls;

namespace Zones.Server;

/// <summary>
/// The listener: binds the configured endpoints, accepts connections and runs one
/// <see cref="HttpConnection"/> loop per socket. It owns every connection's lifetime, taken-over
/// ones included: it counts them, times them out from a one-second heartbeat, and on stop lets
/// in-flight requests finish before cutting what is left.
/// </summary>
public sealed class ZoneServer : IAsyncDisposable
{
    private readonly IZoneTableSource _tables;
    private readonly ConcurrentDictionary<long, HttpConnection> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _allClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Listener> _listeners = [];
    private ServerCertificates? _certificates;
    private int _certificatesPreparing; // 1 once PrepareCertificates has run
    private AcmeCertificates? _acme;
    private AccessLogWriter? _accessLog; // Options.AccessLog, opened by StartAsync
    private AcmeChallengeZone? _challengeZone;
    private readonly ILoggerFactory _loggerFactory;
    private readonly List<Task> _acceptLoops = [];
    private Timer? _heartbeat;
    private long _nextConnectionId;
    private int _stopped;

    /// <summary>A server that is not listening yet (<see cref="StartAsync"/> binds).</summary>
    /// <param name="options">Listeners, TLS and limits; read at start, later changes are not seen.</param>
    /// <param name="tables">Asked for the current table once per request, so a reload applies to the next request.</param>
    /// <param name="loggerFactory">For the "Zones.Server" and "Zones.Access" logs; none when null.</param>
    /// <param name="services">What handlers find in <see cref="ZoneContext.Services"/>; none when null.</param>
    public ZoneServer(ServerOptions options, IZoneTableSource tables, ILoggerFactory? loggerFactory = null, IServiceProvider? services = null)
    {
        Options = options;
        _tables = tables;
        loggerFactory ??= NullLoggerFactory.Instance;
        _loggerFactory = loggerFactory;
        Logger = loggerFactory.CreateLogger("Zones.Server");
        AccessLogger = loggerFactory.CreateLogger("Zones.Access");
        Services = services ?? NoServices.Instance;
        PlainFields = new ResponseFields(options.ServerHeader);
    }

    /// <summary>A server with one zone table that never changes.</summary>
    /// <param name="options">Listeners, TLS and limits.</param>
    /// <param name="table">The zones every request walks.</param>
    /// <param name="loggerFactory">For the "Zones.Server" and "Zones.Access" logs; none when null.</param>
    /// <param name="services">What handlers find in <see cref="ZoneContext.Services"/>; none when null.</param>
    public ZoneServer(ServerOptions options, ZoneTable table, ILoggerFactory? loggerFactory = null, IServiceProvider? services = null)
        : this(options, new FixedZoneTable(table), loggerFactory, services)
    {
    }

    /// <summary>The options the server was made with.</summary>
    public ServerOptions Options { get; }

    /// <summary>The bound endpoints, with the real port when 0 was asked for.</summary>
    public IReadOnlyList<IPEndPoint> EndPoints => _listeners.Select(l => l.EndPoint).ToList();

    /// <summary>The bound listeners as URLs, with the real port when 0 was asked for ("http://127.0.0.1:41234").</summary>
    public IReadOnlyList<string> Urls => _listeners.Select(l => l.Url).ToList();

    /// <summary>The connections open now, taken-over ones included.</summary>
    public int ConnectionCount => _connections.Count;

    internal ZonesMetrics Metrics { get; } = new();

    /// <summary>The site's zones, behind the ACME http-01 zone when ACME is on.</summary>
    internal ZoneTable Table => _challengeZone is { } challenges ? challenges.Ahead(_tables.Current) : _tables.Current;

    /// <summary>The ACME certificates when Server:Tls:Acme is set and the server has started; null otherwise.</summary>
    internal AcmeCertificates? Acme => _acme;

    internal IServiceProvider Services { get; }

    internal ILogger Logger { get; }

    internal ILogger AccessLogger { get; }

    /// <summary>True when requests are logged (Server:AccessLog, or the Zones.Access logger at Information): only then is their duration measured.</summary>
    internal bool LogsAccess => _accessLog is not null || AccessLogger.IsEnabled(LogLevel.Information);

    /// <summary>
    /// One access-log line (Information on "Zones.Access"); <paramref name="request"/> is null when
    /// the head could not be parsed into one, <paramref name="started"/> is the request's start
    /// timestamp, null when refused before it or not measured (0 ms). Nothing is formatted when the log is off.
    /// </summary>
    internal void LogAccess(IPEndPoint? remote, HttpRequest? request, string? user, int status, long bytes, long? started)
    {
        var file = _accessLog;
        if (file is null && !AccessLogger.IsEnabled(LogLevel.Information)) return;
        var milliseconds = started is { } t ? System.Diagnostics.Stopwatch.GetElapsedTime(t).TotalMilliseconds : 0;
        if (file is not null)
        {
            file.Add(new AccessRecord(DateTime.UtcNow, remote, request?.Method, request?.Target, request?.Protocol, user, status, bytes, milliseconds));
            return;
        }
        var requestLine = request is null ? "-" : AccessLogFields.RequestLine(request);
        Log.Access(AccessLogger, remote?.ToString() ?? "-", AccessLogFields.User(user), requestLine, status, bytes, milliseconds);
    }

    /// <summary>The fields every plain-HTTP response carries (Server).</summary>
    internal ResponseFields PlainFields { get; }

    internal CancellationToken StoppingToken => _stopping.Token;

    /// <summary>
    /// Most connections open at once, from the start on: MaxConnections when set, else what the
    /// process's file-descriptor limit leaves room for (<see cref="DescriptorLimit"/>); null for none.
    /// </summary>
    public int? ConnectionLimit { get; private set; }

    /// <summary>For handlers' failures for want of file descriptors: one warning a minute for the whole server.</summary>
    internal LogThrottle DescriptorWarnings { get; } = new();

    private AccessLogWriter OpenAccessLog(string path)
    {
        try
        {
            return AccessLogWriter.Open(path, Logger);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot open the access log {path}: {e.Message} Fix Server:AccessLog, or leave it out to log through Logging.", e);
        }
    }

    /// <summary>Binds every listener (Urls, or http://127.0.0.1:8080 when there are none, and Endpoints) and starts accepting; returns once they are bound.</summary>
    /// <exception cref="IOException">An address is in use or cannot be bound, or the access log file cannot be opened; nothing stays bound.</exception>
    /// <exception cref="Tls.TlsConfigurationException">An https:// listener's certificate cannot be loaded or used.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        var endpoints = Options.Listeners();
        try
        {
            if (Options.AccessLog is { } accessLog) _accessLog = OpenAccessLog(accessLog);
            if (Options.Tls.Acme is { } acme) _acme = AcmeFor(acme, endpoints);
            if (endpoints.Any(e => ListenAddress.IsHttps(e.Url!))) _certificates = new ServerCertificates(Options.Tls, Logger, acme: _acme);
            foreach (var endpoint in endpoints)
                _listeners.AddRange(Listener.Bind(endpoint.Url!, ListenAddress.IsHttps(endpoint.Url!) ? TlsListenerFor(endpoint) : null));
        }
        catch
        {
            foreach (var listener in _listeners) listener.Dispose();
            _listeners.Clear();
            _certificates?.Dispose();
            if (_acme is not null) _ = _acme.DisposeAsync().AsTask();
            _acme = null;
            if (Interlocked.Exchange(ref _accessLog, null) is { } accessLog) _ = accessLog.DisposeAsync().AsTask();
            throw;
        }

        var descriptors = DescriptorLimit.OfThisProcess();
        ConnectionLimit = Options.Limits.MaxConnections ?? descriptors?.Connections;
        _maxRefusalsInFlight = descriptors?.Refusals(MaxRefusalsInFlight) ?? MaxRefusalsInFlight;
        _heartbeat = new Timer(static s => ((ZoneServer)s!).OnHeartbeat(), this, 1000, 1000);
        foreach (var listener in _listeners)
        {
            Log.Listening(Logger, listener.Url);
            _acceptLoops.Add(AcceptLoopAsync(listener));
        }
        // After the listening lines, which tools and tests read first.
        if (Options.Limits.MaxConnections is { } max && max > descriptors?.Connections)
            Log.MaxConnectionsOverDescriptors(Logger, max, descriptors.Limit, descriptors.Connections);
        if (_acme is not null)
        {
            _challengeZone = new AcmeChallengeZone(_acme.Challenges);
            _acme.Start();
        }
        return Task.CompletedTask;
    }

    /// <summary>Server:Tls:Acme, checked against the listeners: http-01 needs a plain one, tls-alpn-01 and serving need a TLS one.</summary>
    private AcmeCertificates AcmeFor(AcmeOptions acme, List<EndpointOptions> endpoints)
    {
        var plain = endpoints.Any(e => !ListenAddress.IsHttps(e.Url!));
        var tls = endpoints.Any(e => ListenAddress.IsHttps(e.Url!));
        var problems = acme.Problems(plain, tls).ToList();
        if (problems.Count > 0) throw new TlsConfigurationException(string.Join("; ", problems));
        return new AcmeCertificates(acme, acme.UsableChallenges(plain, tls), _loggerFactory.CreateLogger("Zones.Acme"));
    }

    /// <summary>The TLS of one https:// listener: Server:Tls, with what its endpoint entry sets over it.</summary>
    private TlsListener TlsListenerFor(EndpointOptions endpoint)
    {
        var tls = Options.Tls;
        var mode = endpoint.ClientCertificate ?? tls.ClientCertificate;
        var authorities = mode == ClientCertificateMode.None ? null
            : ClientCertificateValidator.ReadAuthorities(endpoint.ClientCertificateAuthority ?? tls.ClientCertificateAuthority, $"{endpoint.Url}: ClientCertificate {mode}");
        var hsts = endpoint.Hsts ?? tls.Hsts;
        return new TlsListener(_certificates!, mode, authorities, tls.HandshakeTimeout, new ResponseFields(Options.ServerHeader, hsts?.HeaderValue()), tls.CipherSuites);
    }

    private async Task AcceptLoopAsync(Listener listener)
    {
        await Task.Yield();
        var failures = new AcceptFailures();
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                var socket = await listener.Socket.AcceptAsync(_stopping.Token);
                failures.Succeeded();
                socket.NoDelay = true;
                if (listener.Tls is not null && _certificatesPreparing == 0) PrepareCertificates();
                if (ConnectionLimit is { } max && _connections.Count >= max)
                {
                    Refuse(socket, listener.Tls is not null);
                    continue;
                }
                var connection = new HttpConnection(this, socket, Interlocked.Increment(ref _nextConnectionId), listener.Tls);
                _connections[connection.Id] = connection;
                Metrics.ConnectionOpened();
                ThreadPool.UnsafeQueueUserWorkItem(static c => _ = c.RunAsync(), connection, preferLocal: false);
            }
            // Stopping: the listener's close can fail an accept already under way with a socket
            // error (operation aborted) rather than the cancellation; either way the loop is done.
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || _stopping.IsCancellationRequested)
            {
                break;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset)
            {
                // The client gave up before its accept: its doing, and the next accept is fine.
                continue;
            }
            catch (SocketException e)
            {
                // Out of descriptors, or of memory for sockets: wait, and keep serving.
                if (failures.Failed(out var wait, out var unlogged)) Log.AcceptFailed(Logger, listener.Url, e.Message, e.SocketErrorCode, unlogged);
                try { await Task.Delay(wait, _stopping.Token); }
                catch (OperationCanceledException) { break; }
            }
        }
    }

    // Refusals in flight at once; past this a flood over the limit is closed without the 503,
    // so refusing costs bounded memory too.
    private const int MaxRefusalsInFlight = 128;
    private int _maxRefusalsInFlight = MaxRefusalsInFlight; // fewer when the descriptors leave less room
    private int _refusalsInFlight;

    // A flood over the limit is a warning a minute, not a line per connection.
    private readonly LogThrottle _refusalWarnings = new();

    // What a refused client still sends is read only to be dropped; all refusals share it.
    private static readonly byte[] Discard = new byte[1024];

    /// <summary>
    /// Over MaxConnections: answer 503 and close, without reading the request or starting a
    /// loop. The client learns why at once instead of hanging in the backlog. A TLS client gets
    /// no plain-text answer it could not read: its connection is closed at once.
    /// </summary>
    private void Refuse(Socket socket, bool tls)
    {
        Metrics.ConnectionRejected();
        if (_refusalWarnings.ShouldLog(out var unlogged))
        {
            var why = Options.Limits.MaxConnections is null ? "the file-descriptor limit's share (MaxConnections is not set)" : "MaxConnections";
            Log.ConnectionRefused(Logger, socket.RemoteEndPoint, ConnectionLimit ?? 0, why, unlogged);
        }
        if (tls || Interlocked.Increment(ref _refusalsInFlight) > _maxRefusalsInFlight)
        {
            if (!tls) Interlocked.Decrement(ref _refusalsInFlight);
            socket.Dispose();
            return;
        }
        _ = RefuseAsync(socket);
    }

    private async Task RefuseAsync(Socket socket)
    {
        try
        {
            await Http1Output.RefuseAsync(socket, PlainFields, Discard);
        }
        finally
        {
            Interlocked.Decrement(ref _refusalsInFlight);
        }
    }

    internal void Remove(HttpConnection connection)
    {
        if (_connections.TryRemove(connection.Id, out _))
        {
            Metrics.ConnectionClosed();
        }
        if (_connections.IsEmpty && Volatile.Read(ref _stopped) == 1) _allClosed.TrySetResult();
    }

    /// <summary>
    /// Builds the certificates' handshake contexts in the background — building one reads the
    /// system trust store, about 100 ms of CPU — once the server is serving: at its first TLS
    /// connection or its first heartbeat (a second after the start), whichever comes first. Begun
    /// at the start it took a core from the first responses (5 ms of a native start on two cores;
    /// on a one-core device, all of it); a handshake that comes before it builds its own.
    /// </summary>
    internal void PrepareCertificates()
    {
        if (_certificates is { } certificates && Interlocked.Exchange(ref _certificatesPreparing, 1) == 0) certificates.Prepare();
    }

    /// <summary>True once <see cref="PrepareCertificates"/> has run (for its tests).</summary>
    internal bool CertificatesPreparing => Volatile.Read(ref _certificatesPreparing) == 1;

    private void OnHeartbeat()
    {
        PrepareCertificates();
        var now = Environment.TickCount64;
        foreach (var (_, connection) in _connections) connection.Lifetime.OnHeartbeat(now);
    }

    /// <summary>
    /// Stops accepting, lets requests in progress finish and closes idle connections; take-over
    /// handlers see <see cref="TakeOverContext.ServerStopping"/>. Whatever is still open when
    /// <see cref="ServerOptions.ShutdownTimeout"/> passes, or <paramref name="cancellationToken"/> fires, is cut.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        await _stopping.CancelAsync();
        // Renewal stops with the server (an order in flight is abandoned; the CA expires it).
        if (_acme is not null) await _acme.DisposeAsync();
        foreach (var listener in _listeners) listener.Dispose();
        await Task.WhenAll(_acceptLoops);
        var open = _connections.Count;
        foreach (var (_, connection) in _connections) connection.Lifetime.RequestStop();
        // Logged once every connection has been asked to finish (tests wait for this line).
        Log.Stopping(Logger, open);
        if (_connections.IsEmpty) _allClosed.TrySetResult();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.ShutdownTimeout);
        try
        {
            await _allClosed.Task.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Log.ShutdownTimedOut(Logger, _connections.Count);
            foreach (var (_, connection) in _connections) connection.Lifetime.Abort();
            try { await _allClosed.Task.WaitAsync(TimeSpan.FromSeconds(5)); } catch (TimeoutException) { }
        }
        finally
        {
            _heartbeat?.Dispose();
            _certificates?.Dispose();
            // Last: the connections cut above still log their lines.
            if (Interlocked.Exchange(ref _accessLog, null) is { } accessLog) await accessLog.DisposeAsync();
        }
    }

    /// <summary>Stops at once, without the graceful wait: open connections are cut.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(new CancellationToken(canceled: true));
        _stopping.Dispose();
        Metrics.Dispose();
    }
}
