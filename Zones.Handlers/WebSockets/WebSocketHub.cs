using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace Zones.Handlers.WebSockets;

/// <summary>
/// The process's <see cref="IWebSocketHub"/>: sets of connections by endpoint and by group. With
/// an <see cref="IWebSocketBackplane"/> (Zones.Redis), groups span every instance sharing it:
/// a group message reaches its members here and, through the backplane, everywhere else.
/// </summary>
public sealed class WebSocketHub : IWebSocketHub
{
    private readonly IWebSocketBackplane? _backplane;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<long, WebSocketConnection>> _endpoints = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<long, WebSocketConnection>> _groups = new(StringComparer.Ordinal);
    // Membership changes take this lock so that a group emptied by one connection leaving is not
    // dropped while another joins it; sends only read, without it.
    private readonly object _membership = new();
    // The stop signals already watched (one per server using this hub; usually one): a server
    // stopping closes its connections through one registration, not one per connection.
    private readonly List<CancellationToken> _stopsWatched = [];
    // The keep-alive of every connection is checked by this one timer, about once a second, while
    // any connection is open: no connection has a timer of its own.
    private Timer? _keepAliveTimer;
    private int _ticking;

    /// <summary>A hub for this process; with a <paramref name="backplane"/>, group messages also reach the other instances.</summary>
    public WebSocketHub(IWebSocketBackplane? backplane = null)
    {
        _backplane = backplane;
        backplane?.Attach(ReceiveFromPeers);
    }

    /// <inheritdoc/>
    public IReadOnlyList<WebSocketConnection> GetConnections(string endpoint) =>
        _endpoints.TryGetValue(endpoint, out var set) ? [.. set.Values] : [];

    /// <inheritdoc/>
    public IReadOnlyList<WebSocketConnection> GetGroup(string group) =>
        _groups.TryGetValue(group, out var set) ? [.. set.Values] : [];

    /// <inheritdoc/>
    public bool AddToGroup(WebSocketConnection connection, string group)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrEmpty(group);
        lock (_membership)
        {
            // A connection that already ended would never leave the group again.
            if (!IsRegistered(connection) || !connection.AddGroup(group)) return false;
            if (!_groups.TryGetValue(group, out var set))
            {
                _groups[group] = set = new();
                _backplane?.Join(group); // under the lock: joins and leaves reach the backplane in their order
            }
            set[connection.Id] = connection;
            return true;
        }
    }

    /// <inheritdoc/>
    public bool RemoveFromGroup(WebSocketConnection connection, string group)
    {
        ArgumentNullException.ThrowIfNull(connection);
        lock (_membership)
        {
            if (!connection.RemoveGroup(group)) return false;
            LeaveGroup(connection, group);
            return true;
        }
    }

    /// <inheritdoc/>
    public int Broadcast(string endpoint, WebSocketMessageType type, ReadOnlyMemory<byte> data, WebSocketConnection? except = null) =>
        _endpoints.TryGetValue(endpoint, out var set) ? SendAll(set, type, data, except) : 0;

    /// <inheritdoc/>
    public int SendToGroup(string group, WebSocketMessageType type, ReadOnlyMemory<byte> data, WebSocketConnection? except = null)
    {
        _backplane?.Publish(group, type, data);
        return _groups.TryGetValue(group, out var set) ? SendAll(set, type, data, except) : 0;
    }

    /// <summary>A group message another instance sent: queued to the members here like a local one.</summary>
    private void ReceiveFromPeers(string group, WebSocketMessageType type, ReadOnlyMemory<byte> data)
    {
        if (_groups.TryGetValue(group, out var set)) SendAll(set, type, data, null);
    }

    /// <summary>Registers an open connection; when <paramref name="serverStopping"/> fires, it is closed with 1001.</summary>
    internal void Add(WebSocketConnection connection, CancellationToken serverStopping)
    {
        var watch = false;
        lock (_membership)
        {
            _endpoints.GetOrAdd(connection.Endpoint, _ => new())[connection.Id] = connection;
            _keepAliveTimer ??= new Timer(static hub => ((WebSocketHub)hub!).OnKeepAliveTick(), this, KeepAliveTick, KeepAliveTick);
            if (serverStopping.CanBeCanceled && !_stopsWatched.Contains(serverStopping))
            {
                _stopsWatched.Add(serverStopping);
                watch = true;
            }
        }
        // Registered outside the lock: a token already cancelled runs the callback at once, and it takes the lock.
        if (watch) serverStopping.UnsafeRegister(static (state, token) => ((WebSocketHub)state!).OnServerStopping(token), this);
        // A stop that began before this connection was listed: the sweep may have missed it.
        if (serverStopping.IsCancellationRequested) CloseForShutdown(connection);
    }

    /// <summary>A server using this hub stops: each of its connections is asked to close (1001).</summary>
    private void OnServerStopping(CancellationToken token)
    {
        WebSocketConnection[] open;
        lock (_membership)
        {
            _stopsWatched.Remove(token);
            open = [.. _endpoints.Values.SelectMany(set => set.Values).Where(c => c.ServerStopping == token)];
        }
        foreach (var connection in open) CloseForShutdown(connection);
    }

    private static readonly TimeSpan KeepAliveTick = TimeSpan.FromSeconds(1);

    private void OnKeepAliveTick()
    {
        if (Interlocked.Exchange(ref _ticking, 1) == 1) return; // the last tick is still walking
        try
        {
            var now = Environment.TickCount64;
            var any = false;
            foreach (var (_, set) in _endpoints)
            {
                foreach (var (_, connection) in set)
                {
                    any = true;
                    connection.KeepAlive?.OnTick(now);
                }
            }
            if (!any) StopKeepAliveTimerIfIdle();
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }

    /// <summary>No connection is open: the timer stops until the next one (a hub of a finished test, an idle site).</summary>
    private void StopKeepAliveTimerIfIdle()
    {
        lock (_membership)
        {
            if (_endpoints.Values.Any(set => !set.IsEmpty)) return;
            _keepAliveTimer?.Dispose();
            _keepAliveTimer = null;
        }
    }

    private static void CloseForShutdown(WebSocketConnection connection) =>
        _ = connection.BeginClose(WebSocketCloseStatus.EndpointUnavailable, "The server is shutting down.", dropWaiting: false);

    internal void Remove(WebSocketConnection connection)
    {
        lock (_membership)
        {
            if (_endpoints.TryGetValue(connection.Endpoint, out var set)) set.TryRemove(connection.Id, out _);
            foreach (var group in connection.Groups)
            {
                connection.RemoveGroup(group);
                LeaveGroup(connection, group);
            }
        }
    }

    private bool IsRegistered(WebSocketConnection connection) =>
        _endpoints.TryGetValue(connection.Endpoint, out var set) && set.ContainsKey(connection.Id);

    private void LeaveGroup(WebSocketConnection connection, string group)
    {
        if (!_groups.TryGetValue(group, out var set)) return;
        set.TryRemove(connection.Id, out _);
        if (set.IsEmpty && _groups.TryRemove(group, out _)) _backplane?.Leave(group);
    }

    private static int SendAll(ConcurrentDictionary<long, WebSocketConnection> set, WebSocketMessageType type, ReadOnlyMemory<byte> data, WebSocketConnection? except)
    {
        var sent = 0;
        foreach (var (_, connection) in set)
        {
            if (!ReferenceEquals(connection, except) && connection.TrySend(type, data)) sent++;
        }
        return sent;
    }
}
