
namespace Zones.Handlers.WebSockets;

/// <summary>Sends every message back as it came: text as text, binary as binary. Allocates nothing per message.</summary>
public sealed class EchoEndpoint : WebSocketEndpoint
{
    /// <inheritdoc/>
    public override ValueTask OnMessageAsync(WebSocketConnection connection, WebSocketMessage message) => connection.SendAsync(message);
}
