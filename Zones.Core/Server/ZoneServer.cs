using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Zones.Pipeline;

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
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private Timer? _heartbeat;
    private long _nextConnectionId;
    private int _stopped;

    public ZoneServer(ServerOptions options, IZoneTableSource tables, ILoggerFactory? loggerFactory = null, IServiceProvider? services = null)
    {
        Options = options;
        _tables = tables;
        loggerFactory ??= NullLoggerFactory.Instance;
        Logger = loggerFactory.CreateLogger("Zones.Server");
        AccessLogger = loggerFactory.CreateLogger("Zones.Access");
        Services = services ?? NoServices.Instance;
        ServerLine = string.IsNullOrEmpty(options.ServerHeader) ? [] : Encoding.ASCII.GetBytes($"Server: {options.ServerHeader}\r\n");
    }

    public ZoneServer(ServerOptions options, ZoneTable table, ILoggerFactory? loggerFactory = null, IServiceProvider? services = null)
        : this(options, new FixedZoneTable(table), loggerFactory, services)
    {
    }

    public ServerOptions Options { get; }

    /// <summary>The bound endpoints, with the real port when 0 was asked for.</summary>
    public IReadOnlyList<IPEndPoint> EndPoints => _listeners.Select(l => (IPEndPoint)l.LocalEndPoint!).ToList();

    public IReadOnlyList<string> Urls => EndPoints.Select(ListenAddress.Format).ToList();

    public int ConnectionCount => _connections.Count;

    public ZonesMetrics Metrics { get; } = new();

    internal ZoneTable Table => _tables.Current;

    internal IServiceProvider Services { get; }

    internal ILogger Logger { get; }

    internal ILogger AccessLogger { get; }

    internal byte[] ServerLine { get; }

    internal CancellationToken StoppingToken => _stopping.Token;

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        var urls = Options.Urls.Count > 0 ? Options.Urls : ["http://127.0.0.1:8080"];
        try
        {
            foreach (var url in urls)
            {
                foreach (var endPoint in ListenAddress.Parse(url))
                {
                    var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                    if (endPoint.Address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
                    try
                    {
                        socket.Bind(endPoint);
                        socket.Listen(512);
                    }
                    catch (SocketException e)
                    {
                        socket.Dispose();
                        throw new IOException($"Cannot listen on {url}: {e.Message}. Is another program using the port? Pick another with --urls.", e);
                    }
                    _listeners.Add(socket);
                }
            }
        }
        catch
        {
            foreach (var listener in _listeners) listener.Dispose();
            _listeners.Clear();
            throw;
        }

        _heartbeat = new Timer(static s => ((ZoneServer)s!).OnHeartbeat(), this, 1000, 1000);
        foreach (var listener in _listeners)
        {
            var url = ListenAddress.Format((IPEndPoint)listener.LocalEndPoint!);
            Log.Listening(Logger, url);
            _acceptLoops.Add(AcceptLoopAsync(listener, url));
        }
        return Task.CompletedTask;
    }

    private async Task AcceptLoopAsync(Socket listener, string url)
    {
        await Task.Yield();
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                var socket = await listener.AcceptAsync(_stopping.Token);
                socket.NoDelay = true;
                if (Options.Limits.MaxConnections is { } max && _connections.Count >= max)
                {
                    Refuse(socket);
                    continue;
                }
                var connection = new HttpConnection(this, socket, Interlocked.Increment(ref _nextConnectionId));
                _connections[connection.Id] = connection;
                Metrics.ConnectionOpened();
                ThreadPool.UnsafeQueueUserWorkItem(static c => _ = c.RunAsync(), connection, preferLocal: false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException e)
            {
                // Out of descriptors, a connection reset before accept…: log and keep serving.
                Log.AcceptFailed(Logger, url, e);
                await Task.Delay(10);
            }
        }
    }

    // Refusals in flight at once; past this a flood over the limit is closed without the 503,
    // so refusing costs bounded memory too.
    private const int MaxRefusalsInFlight = 128;
    private int _refusalsInFlight;

    // What a refused client still sends is read only to be dropped; all refusals share it.
    private static readonly byte[] Discard = new byte[1024];

    /// <summary>
    /// Over MaxConnections: answer 503 and close, without reading the request or starting a
    /// loop. The client learns why at once instead of hanging in the backlog.
    /// </summary>
    private void Refuse(Socket socket)
    {
        Metrics.ConnectionRejected();
        Log.ConnectionRefused(Logger, socket.RemoteEndPoint);
        if (Interlocked.Increment(ref _refusalsInFlight) > MaxRefusalsInFlight)
        {
            Interlocked.Decrement(ref _refusalsInFlight);
            socket.Dispose();
            return;
        }
        _ = RefuseAsync(socket);
    }

    private async Task RefuseAsync(Socket socket)
    {
        try
        {
            await Http1Output.RefuseAsync(socket, ServerLine, Discard);
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

    private void OnHeartbeat()
    {
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
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(new CancellationToken(canceled: true));
        _stopping.Dispose();
        Metrics.Dispose();
    }
}
