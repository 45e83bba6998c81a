using System.Net.WebSockets;

namespace Zones.Handlers.WebSockets;

/// <summary>
/// What a WebSocket zone hands its connections to — the seed's <c>connect</c> and
/// <c>message</c> events as methods. Register a subclass by name with
/// <c>services.AddWebSocketEndpoint&lt;T&gt;("name")</c> and route a zone to it with
/// <c>"Handler": "websocket", "Endpoint": "name"</c>. One instance serves every connection
/// (a singleton built by DI); keep per-connection state in <see cref="WebSocketConnection.Items"/>.
/// </summary>
public abstract class WebSocketEndpoint
{
    /// <summary>The handshake is done and the connection is open. Messages are not read until this returns.</summary>
    public virtual ValueTask OnConnectedAsync(WebSocketConnection connection) => default;

    /// <summary>
    /// One whole message. The next is not read until this returns, so messages of one connection
    /// arrive in order; its bytes are reused afterwards (copy what you keep). Throwing closes
    /// the connection with 1011.
    /// </summary>
    public virtual ValueTask OnMessageAsync(WebSocketConnection connection, WebSocketMessage message) => default;

    /// <summary>
    /// The connection is over. <paramref name="status"/> is the peer's close code when it closed,
    /// this side's when the server closed (1001 shutdown, 1002 protocol error, 1007 bad UTF-8,
    /// 1008 not reading, 1009 too big, 1011 endpoint error), 1006 when the connection ended without
    /// a close frame (dropped, or a dead peer found by the keep-alive timeout). A close frame
    /// without a code reads as 1000, as System.Net.WebSockets reports it.
    /// </summary>
    public virtual ValueTask OnClosedAsync(WebSocketConnection connection, WebSocketCloseStatus status, string? description) => default;
}
