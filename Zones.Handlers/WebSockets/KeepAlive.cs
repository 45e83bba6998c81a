using System.Buffers.Binary;
using System.Net.WebSockets;

namespace Zones.Handlers.WebSockets;

/// <summary>
/// One connection's keep-alive, as System.Net.WebSockets would run it but without a timer of its
/// own: the hub's one timer calls <see cref="OnTick"/> about once a second for every connection
/// (the runtime's own heartbeat is never more often than that either). With a timeout: when
/// nothing arrived for KeepAliveInterval, a ping goes out; when nothing has arrived either by
/// KeepAliveTimeout after it, the peer is taken for dead and the WebSocket aborted. Anything the
/// peer sends after the ping counts as its answer — its pong, or a message, which proves it alive
/// just as well. Without a timeout: an unsolicited pong every KeepAliveInterval, which only keeps
/// idle proxies from dropping the connection.
/// </summary>
internal sealed class KeepAlive(WebSocketTransport transport, WebSocket socket, TimeSpan interval, TimeSpan timeout)
{
    private readonly long _intervalMs = (long)interval.TotalMilliseconds;
    private readonly long _timeoutMs = (long)timeout.TotalMilliseconds;   // 0: unsolicited pongs only
    private long _pingSentAt;       // 0 while no ping waits for its answer
    private long _readsAtPing;
    private long _nextPong = Environment.TickCount64 + (long)interval.TotalMilliseconds;
    private long _pings;
    private int _timedOut;

    /// <summary>True once the peer was taken for dead: no answer to a ping within the timeout.</summary>
    public bool TimedOut => Volatile.Read(ref _timedOut) == 1;

    /// <summary>Called by the hub's timer (one thread at a time).</summary>
    public void OnTick(long now)
    {
        // After a close began, the close timeout watches the peer; no more pings or pongs go out.
        if (socket.State != WebSocketState.Open) return;
        if (_timeoutMs <= 0)
        {
            if (now < _nextPong) return;
            if (transport.TrySendControl(ControlFrame.PongOpcode, [])) _nextPong = now + _intervalMs;
            return;
        }
        if (_pingSentAt != 0)
        {
            if (transport.Reads != _readsAtPing) _pingSentAt = 0; // answered
            else if (now - _pingSentAt > _timeoutMs)
            {
                Volatile.Write(ref _timedOut, 1);
                socket.Abort();
                // The connection too: the wait for the next frame is on the socket, and only that ends it.
                transport.AbortConnection();
                return;
            }
            else return;
        }
        if (now - transport.LastReceived <= _intervalMs) return;
        Span<byte> payload = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(payload, _pings + 1);
        // A frame being written now: try again at the next tick.
        var reads = transport.Reads;
        if (!transport.TrySendControl(ControlFrame.PingOpcode, payload)) return;
        _pings++;
        _readsAtPing = reads;
        _pingSentAt = now;
    }
}
