using System.Net.WebSockets;

namespace Zones.Handlers.WebSockets;

/// <summary>
/// Carries hub group messages between the instances that share it (Zones.Redis), so a chat room
/// can span several servers. The hub tells it which groups have members here and hands it every
/// group message; it hands back the messages other instances sent to those groups, which the hub
/// queues to its own members exactly as it queues local ones (the same per-connection limits).
/// Delivery across instances is live only: a message sent while the backplane is down is lost.
/// Every call returns at once.
/// </summary>
public interface IWebSocketBackplane
{
    /// <summary>Called once by the hub: where messages from other instances go.</summary>
    void Attach(Action<string, WebSocketMessageType, ReadOnlyMemory<byte>> receive);

    /// <summary>The group has its first member on this instance: start receiving its messages.</summary>
    void Join(string group);

    /// <summary>The group's last member here left: stop receiving its messages.</summary>
    void Leave(string group);

    /// <summary>Sends a group message to the other instances. <paramref name="data"/> must not change afterwards.</summary>
    void Publish(string group, WebSocketMessageType type, ReadOnlyMemory<byte> data);
}
