using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Zones.Http;

namespace Zones.Handlers.WebSockets;

/// <summary>
/// One open WebSocket, as an endpoint sees it: who connected (the request's path, query,
/// headers, remote address), and how to talk back. Sends are serialised through a bounded
/// queue (see <see cref="SendTextAsync(string)"/>); any thread may send at any time.
/// </summary>
public sealed class WebSocketConnection
{
    private static long s_nextId;

    private readonly WebSocket _socket;
    private readonly SendQueue _queue;
    private readonly TakeOverContext _takeOver; // its ConnectionAborted is this connection's lifetime; no CancellationTokenSource of our own
    private readonly TimeSpan _closeTimeout;
    private Timer? _closeTimer;                 // only while a closing handshake runs
    private int _terminated;
    private readonly object _gate = new(); // the groups and the close timer
    private List<string>? _groups;
    private Dictionary<string, object?>? _items;
    private int _closeStarted;

    internal WebSocketConnection(string endpoint, WebSocket socket, bool compressed, WebSocketZoneOptions options, TakeOverContext takeOver)
    {
        Id = Interlocked.Increment(ref s_nextId);
        Endpoint = endpoint;
        Request = takeOver.Request;
        IsCompressed = compressed;
        _socket = socket;
        _takeOver = takeOver;
        _closeTimeout = options.CloseTimeout;
        _queue = new SendQueue(socket, options.SendQueueLimit, OnSendQueueOverflow, takeOver.ConnectionAborted);
    }

    /// <summary>Unique in this process, increasing.</summary>
    public long Id { get; }

    /// <summary>The name of the endpoint the connection belongs to.</summary>
    public string Endpoint { get; }

    /// <summary>The opening handshake: path, query, headers, remote address.</summary>
    public HttpRequest Request { get; }

    /// <summary>The handshake request's path.</summary>
    public string Path => Request.Path;

    /// <summary>The handshake request's query, still percent-encoded (a browser's WebSocket cannot send headers, so tokens often come here).</summary>
    public string QueryString => Request.QueryString;

    /// <summary>The handshake request's header fields.</summary>
    public HttpHeaders Headers => Request.Headers;

    /// <summary>The client's address and port.</summary>
    public IPEndPoint? RemoteEndPoint => Request.RemoteEndPoint;

    /// <summary>The subprotocol agreed in the handshake, or null.</summary>
    public string? SubProtocol => _socket.SubProtocol;

    /// <summary>permessage-deflate was agreed.</summary>
    public bool IsCompressed { get; }

    /// <summary>False once a close has begun (either side) or the connection is gone.</summary>
    public bool IsOpen => !_queue.IsClosed && _socket.State == WebSocketState.Open;

    /// <summary>Free-form per-connection state for the endpoint (a user name, a room…).</summary>
    public IDictionary<string, object?> Items => _items ??= [];

    /// <summary>The hub groups this connection is in.</summary>
    public IReadOnlyList<string> Groups
    {
        get { lock (_gate) return _groups is null ? [] : [.. _groups]; }
    }

    /// <summary>The value of a query parameter (percent-decoded, '+' as space), or null.</summary>
    public string? Query(string name) => Request.Query[name];

    /// <summary>
    /// Sends a text message. Completes when it has been written to the socket; fails with a
    /// <see cref="WebSocketException"/> when the connection is closing. When more than the zone's
    /// SendQueueLimit messages are waiting, the client is not reading: it is closed with 1008.
    /// </summary>
    public ValueTask SendTextAsync(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        var length = Encoding.UTF8.GetBytes(text, rented);
        return _queue.SendAsync(WebSocketMessageType.Text, rented.AsMemory(0, length), rented);
    }

    /// <summary>Sends UTF-8 bytes as a text message. The bytes must stay unchanged until the task completes.</summary>
    public ValueTask SendTextAsync(ReadOnlyMemory<byte> utf8) => _queue.SendAsync(WebSocketMessageType.Text, utf8);

    /// <summary>Sends a binary message. The bytes must stay unchanged until the task completes.</summary>
    public ValueTask SendBinaryAsync(ReadOnlyMemory<byte> data) => _queue.SendAsync(WebSocketMessageType.Binary, data);

    /// <summary>Sends a message of the same kind (an echo). Await it before the received message's buffer is reused.</summary>
    public ValueTask SendAsync(WebSocketMessage message) => _queue.SendAsync(message.Type, message.Data);

    /// <summary>
    /// Queues a message without waiting (what the hub uses to broadcast). The bytes must never
    /// change afterwards. False when the connection is closing or could not keep up.
    /// </summary>
    public bool TrySend(WebSocketMessageType type, ReadOnlyMemory<byte> data)
    {
        if (type is not (WebSocketMessageType.Text or WebSocketMessageType.Binary))
            throw new ArgumentOutOfRangeException(nameof(type), "Send text or binary; close with CloseAsync.");
        return _queue.TrySend(type, data);
    }

    /// <summary>
    /// Starts the closing handshake: messages already queued go first, then the close frame; the
    /// connection ends when the client answers, or after the zone's CloseTimeout. Codes: 1000–1003,
    /// 1007–1014, 3000–4999; the reason at most 123 bytes of UTF-8.
    /// </summary>
    public Task CloseAsync(int code = 1000, string? reason = null)
    {
        WebSocketCloseCodes.ThrowIfNotSendable(code, reason);
        return BeginClose((WebSocketCloseStatus)code, reason, dropWaiting: false);
    }

    /// <inheritdoc cref="CloseAsync(int, string?)"/>
    public Task CloseAsync(WebSocketCloseStatus status, string? reason = null) => CloseAsync((int)status, reason);

    /// <summary>Cuts the connection without a closing handshake.</summary>
    /// <remarks>
    /// The TCP connection is cut at once, so a send stuck on a client that stopped reading fails
    /// now instead of holding on. Nothing happens once the connection has ended.
    /// </remarks>
    public void Abort()
    {
        if (Volatile.Read(ref _terminated) == 0) _takeOver.Abort();
    }

    /// <summary>"WebSocket #7 (chat, 127.0.0.1:51234)", for logs.</summary>
    public override string ToString() => $"WebSocket #{Id} ({Endpoint}, {RemoteEndPoint})";

    // ---- the session's side -----------------------------------------------------------------

    internal WebSocket Socket => _socket;

    /// <summary>Cancelled when the connection is cut: by <see cref="Abort"/>, the close timeout, the server, or the client leaving.</summary>
    internal CancellationToken Lifetime => _takeOver.ConnectionAborted;

    /// <summary>The keep-alive the hub's timer checks, when the zone has one.</summary>
    internal KeepAlive? KeepAlive { get; set; }

    /// <summary>The stop signal of the server this connection came through.</summary>
    internal CancellationToken ServerStopping => _takeOver.ServerStopping;

    /// <summary>The status of the close this side started (by CloseAsync, a limit, shutdown), if any.</summary>
    internal (WebSocketCloseStatus Status, string? Description)? LocalClose { get; private set; }

    /// <summary>Queues a close frame, remembers why, and gives the handshake CloseTimeout to finish.</summary>
    internal Task BeginClose(WebSocketCloseStatus status, string? description, bool dropWaiting)
    {
        if (Interlocked.Exchange(ref _closeStarted, 1) == 0)
        {
            LocalClose = (status, description);
            StartCloseTimer();
        }
        return _queue.CloseAsync(status, description, dropWaiting);
    }

    /// <summary>Answers the peer's close frame with the same code (the runtime reports an empty close frame as 1000, so that is what an empty one gets back).</summary>
    internal Task EchoClose(WebSocketCloseStatus status)
    {
        if (Interlocked.Exchange(ref _closeStarted, 1) == 0) StartCloseTimer();
        return _queue.CloseAsync(status, null, dropWaiting: false);
    }

    internal bool CloseStarted => Volatile.Read(ref _closeStarted) == 1;

    /// <summary>The send of this side's close frame, once queued.</summary>
    internal Task? CloseSent => _queue.CloseTask;

    internal void Terminate()
    {
        Volatile.Write(ref _terminated, 1);
        _queue.Terminate();
        lock (_gate) _closeTimer?.Dispose();
    }

    /// <summary>The closing handshake gets CloseTimeout; then the connection is cut. One timer per close, none while open.</summary>
    private void StartCloseTimer()
    {
        lock (_gate)
        {
            if (Volatile.Read(ref _terminated) == 1) return;
            _closeTimer = new Timer(static c => ((WebSocketConnection)c!).Abort(), this, _closeTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    internal bool AddGroup(string group)
    {
        lock (_gate)
        {
            _groups ??= [];
            if (_groups.Contains(group)) return false;
            _groups.Add(group);
            return true;
        }
    }

    internal bool RemoveGroup(string group)
    {
        lock (_gate) return _groups?.Remove(group) ?? false;
    }

    private void OnSendQueueOverflow() =>
        _ = BeginClose(WebSocketCloseStatus.PolicyViolation, "Too many messages waiting: the client is not reading.", dropWaiting: true);
}
