using System.Net.WebSockets;
using System.Text;

namespace Zones.Handlers.WebSockets;

/// <summary>
/// Every open WebSocket, by endpoint and by named group: lets any code (an endpoint, a handler,
/// a background service) broadcast. A broadcast queues the message on each connection without
/// waiting; a connection that cannot keep up is closed (1008) instead of slowing the others.
/// </summary>
public interface IWebSocketHub
{
    /// <summary>The open connections of an endpoint (a snapshot).</summary>
    IReadOnlyList<WebSocketConnection> GetConnections(string endpoint);

    /// <summary>The connections in a group on this instance (a snapshot).</summary>
    IReadOnlyList<WebSocketConnection> GetGroup(string group);

    /// <summary>Adds the connection to a group; it leaves every group when it closes. False if it was already in.</summary>
    bool AddToGroup(WebSocketConnection connection, string group);

    /// <summary>Takes the connection out of a group. False if it was not in.</summary>
    bool RemoveFromGroup(WebSocketConnection connection, string group);

    /// <summary>Queues a message to every connection of an endpoint on this instance; returns how many took it. <paramref name="data"/> must never change afterwards.</summary>
    int Broadcast(string endpoint, WebSocketMessageType type, ReadOnlyMemory<byte> data, WebSocketConnection? except = null);

    /// <summary>
    /// Queues a message to every connection in a group — on every instance, when the hub has a
    /// backplane — and returns how many here took it. <paramref name="data"/> must never change afterwards.
    /// </summary>
    int SendToGroup(string group, WebSocketMessageType type, ReadOnlyMemory<byte> data, WebSocketConnection? except = null);
}

/// <summary>Text messages for <see cref="IWebSocketHub"/>: encoded once, however many connections get them.</summary>
public static class WebSocketHubExtensions
{
    /// <summary>Encodes <paramref name="text"/> once and queues it to every connection of the endpoint.</summary>
    public static int BroadcastText(this IWebSocketHub hub, string endpoint, string text, WebSocketConnection? except = null) =>
        hub.Broadcast(endpoint, WebSocketMessageType.Text, Encoding.UTF8.GetBytes(text), except);

    /// <summary>Encodes <paramref name="text"/> once and queues it to every connection in the group.</summary>
    public static int SendTextToGroup(this IWebSocketHub hub, string group, string text, WebSocketConnection? except = null) =>
        hub.SendToGroup(group, WebSocketMessageType.Text, Encoding.UTF8.GetBytes(text), except);
}
