using System.Buffers;
using System.Net.WebSockets;

namespace Zones.Handlers.WebSockets;

/// <summary>
/// Serialises everything sent on one connection. The first sender writes straight to the socket
/// (no queue, no task, no copy: an echo costs nothing extra); while a send is in flight, others
/// wait in a bounded queue that the in-flight sender drains. When the queue is full the client
/// is not reading: the connection's overflow action runs (close with 1008) instead of letting
/// the queue, or the code broadcasting to it, wait.
/// </summary>
internal sealed class SendQueue(WebSocket socket, int limit, Action onOverflow, CancellationToken cancellation)
{
    private readonly object _gate = new();
    private Queue<Outgoing>? _waiting;
    private bool _busy;
    private bool _closed;
    private Task? _closeTask;

    public bool IsClosed
    {
        get { lock (_gate) return _closed; }
    }

    /// <summary>The close frame's send, once one was queued.</summary>
    public Task? CloseTask
    {
        get { lock (_gate) return _closeTask; }
    }

    /// <summary>Sends a message; completes when it has been written (or fails when the connection is closing).</summary>
    public ValueTask SendAsync(WebSocketMessageType type, ReadOnlyMemory<byte> data, byte[]? rented = null) =>
        Enqueue(new Outgoing(type, data, rented, withCompletion: true));

    /// <summary>Queues a message without waiting for it. False when the connection is closing or its queue overflowed.</summary>
    public bool TrySend(WebSocketMessageType type, ReadOnlyMemory<byte> data)
    {
        var pending = Enqueue(new Outgoing(type, data, null, withCompletion: false));
        if (pending.IsCompleted) return pending.IsCompletedSuccessfully;
        Observe(pending);
        return true;
    }

    /// <summary>
    /// Queues the close frame behind what is already queued (or, with <paramref name="dropWaiting"/>,
    /// instead of it); nothing is accepted after it. Asking again returns the first close.
    /// </summary>
    public Task CloseAsync(WebSocketCloseStatus status, string? description, bool dropWaiting)
    {
        var close = new Outgoing(status, description);
        List<Outgoing>? dropped = null;
        bool sendNow;
        lock (_gate)
        {
            if (_closed) return _closeTask ?? Task.CompletedTask;
            _closed = true;
            _closeTask = close.Completion!.Task;
            if (dropWaiting && _waiting is { Count: > 0 })
            {
                dropped = [.. _waiting];
                _waiting.Clear();
            }
            sendNow = !_busy;
            if (sendNow) _busy = true;
            else (_waiting ??= new()).Enqueue(close);
        }
        if (dropped is not null) foreach (var item in dropped) item.Fail(ClosedError());
        if (sendNow) _ = DrainAsync(close);
        return close.Completion.Task;
    }

    /// <summary>The connection is over: whatever still waits fails.</summary>
    public void Terminate()
    {
        List<Outgoing>? dropped = null;
        lock (_gate)
        {
            _closed = true;
            if (_waiting is { Count: > 0 })
            {
                dropped = [.. _waiting];
                _waiting.Clear();
            }
        }
        if (dropped is not null) foreach (var item in dropped) item.Fail(ClosedError());
    }

    private ValueTask Enqueue(Outgoing item)
    {
        var overflow = false;
        lock (_gate)
        {
            if (_closed)
            {
                item.Release();
                return ValueTask.FromException(ClosedError());
            }
            if (_busy)
            {
                _waiting ??= new();
                if (_waiting.Count < limit)
                {
                    var queued = item.WithCompletionIfNeeded();
                    _waiting.Enqueue(queued);
                    return queued.Completion is { } completion ? new ValueTask(completion.Task) : default;
                }
                overflow = true;
            }
            else
            {
                _busy = true;
            }
        }
        if (overflow)
        {
            item.Release();
            onOverflow();
            return ValueTask.FromException(new WebSocketException(WebSocketError.InvalidState,
                $"More than {limit} messages are waiting for this client; it is being closed (1008)."));
        }
        return SendFirstAsync(item);
    }

    /// <summary>The caller's own message, written at once; the fast path completes synchronously.</summary>
    private ValueTask SendFirstAsync(Outgoing item)
    {
        ValueTask write;
        try { write = Write(item); }
        catch (Exception e) { write = ValueTask.FromException(e); }
        if (write.IsCompletedSuccessfully)
        {
            item.Release();
            AfterSend();
            return default;
        }
        return AwaitFirstAsync(write, item);
    }

    private async ValueTask AwaitFirstAsync(ValueTask write, Outgoing item)
    {
        try
        {
            await write;
        }
        catch (Exception e)
        {
            item.Release();
            Fail(e);
            throw;
        }
        item.Release();
        AfterSend();
    }

    /// <summary>After a send: hand the queue to a drain, or go idle.</summary>
    private void AfterSend()
    {
        Outgoing next;
        lock (_gate)
        {
            if (_waiting is not { Count: > 0 })
            {
                _busy = false;
                return;
            }
            next = _waiting.Dequeue();
        }
        _ = DrainAsync(next);
    }

    private async Task DrainAsync(Outgoing item)
    {
        while (true)
        {
            try
            {
                await Write(item);
                item.Complete();
            }
            catch (Exception e)
            {
                item.Fail(e);
                Fail(e);
                return;
            }
            lock (_gate)
            {
                if (_waiting is not { Count: > 0 })
                {
                    _busy = false;
                    return;
                }
                item = _waiting.Dequeue();
            }
        }
    }

    private ValueTask Write(Outgoing item) => item.Type == WebSocketMessageType.Close
        ? new ValueTask(socket.CloseOutputAsync(item.CloseStatus, item.CloseDescription, cancellation))
        : socket.SendAsync(item.Data, item.Type, WebSocketMessageFlags.EndOfMessage, cancellation);

    /// <summary>A send failed: the socket is broken, so everything behind it fails too.</summary>
    private void Fail(Exception e)
    {
        List<Outgoing>? dropped = null;
        lock (_gate)
        {
            _closed = true;
            _busy = false;
            if (_waiting is { Count: > 0 })
            {
                dropped = [.. _waiting];
                _waiting.Clear();
            }
        }
        if (dropped is not null) foreach (var item in dropped) item.Fail(e);
    }

    private static void Observe(ValueTask pending) =>
        pending.AsTask().ContinueWith(static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private static WebSocketException ClosedError() =>
        new(WebSocketError.InvalidState, "The WebSocket connection is closing or closed; nothing more can be sent.");

    /// <summary>One message (or the close frame) on its way out; it returns its pooled array once written.</summary>
    private readonly struct Outgoing
    {
        public Outgoing(WebSocketMessageType type, ReadOnlyMemory<byte> data, byte[]? rented, bool withCompletion)
        {
            Type = type;
            Data = data;
            Rented = rented;
            WantsCompletion = withCompletion;
        }

        public Outgoing(WebSocketCloseStatus status, string? description)
        {
            Type = WebSocketMessageType.Close;
            CloseStatus = status;
            CloseDescription = description;
            WantsCompletion = true;
            Completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        private Outgoing(Outgoing source, TaskCompletionSource completion)
        {
            this = source;
            Completion = completion;
        }

        public WebSocketMessageType Type { get; }
        public ReadOnlyMemory<byte> Data { get; }
        public byte[]? Rented { get; }
        public WebSocketCloseStatus CloseStatus { get; }
        public string? CloseDescription { get; }
        private bool WantsCompletion { get; }
        public TaskCompletionSource? Completion { get; }

        /// <summary>A queued message that someone awaits needs a task to complete later; a broadcast does not.</summary>
        public Outgoing WithCompletionIfNeeded() =>
            WantsCompletion && Completion is null ? new Outgoing(this, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)) : this;

        public void Release()
        {
            if (Rented is not null) ArrayPool<byte>.Shared.Return(Rented);
        }

        public void Complete()
        {
            Release();
            Completion?.TrySetResult();
        }

        public void Fail(Exception e)
        {
            Release();
            // Observed here: a close nobody awaits fails routinely when the peer is gone.
            if (Completion?.TrySetException(e) == true) _ = Completion.Task.Exception;
        }
    }
}
