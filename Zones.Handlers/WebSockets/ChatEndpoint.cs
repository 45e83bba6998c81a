using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;

namespace Zones.Handlers.WebSockets;

/// <summary>
/// A chat room per <c>?room=</c> (default "lobby"); <c>?name=</c> names the speaker. Every text
/// message is broadcast to everyone in the room, the sender included, as JSON:
/// <c>{"type":"message","room":"lobby","name":"ann","text":"hi"}</c>; arrivals and departures as
/// <c>"type":"join"</c> / <c>"leave"</c> with the room's <c>"count"</c>. Binary messages are refused (1003).
/// </summary>
public sealed class ChatEndpoint(IWebSocketHub hub) : WebSocketEndpoint
{
    private const int MaxNameLength = 32;
    private const int MaxRoomLength = 64;
    private const int MaxTextLength = 2000;

    /// <inheritdoc/>
    public override ValueTask OnConnectedAsync(WebSocketConnection connection)
    {
        var room = Clean(connection.Query("room"), MaxRoomLength) ?? "lobby";
        var name = Clean(connection.Query("name"), MaxNameLength) ?? $"guest{connection.Id}";
        connection.Items["chat.room"] = room;
        connection.Items["chat.name"] = name;
        var group = GroupOf(connection, room);
        hub.AddToGroup(connection, group);
        Announce(group, "join", room, name);
        return default;
    }

    /// <inheritdoc/>
    public override async ValueTask OnMessageAsync(WebSocketConnection connection, WebSocketMessage message)
    {
        if (!message.IsText)
        {
            await connection.CloseAsync(WebSocketCloseStatus.InvalidMessageType, "The chat speaks text.");
            return;
        }
        var text = message.Text.Trim();
        if (text.Length == 0) return;
        if (text.Length > MaxTextLength) text = text[..(char.IsHighSurrogate(text[MaxTextLength - 1]) ? MaxTextLength - 1 : MaxTextLength)];
        var room = (string)connection.Items["chat.room"]!;
        hub.SendToGroup(GroupOf(connection, room), WebSocketMessageType.Text, Json(w =>
        {
            w.WriteString("type", "message");
            w.WriteString("room", room);
            w.WriteString("name", (string)connection.Items["chat.name"]!);
            w.WriteString("text", text);
        }));
    }

    /// <inheritdoc/>
    public override ValueTask OnClosedAsync(WebSocketConnection connection, WebSocketCloseStatus status, string? description)
    {
        if (connection.Items.TryGetValue("chat.room", out var room) && room is string r)
            Announce(GroupOf(connection, r), "leave", r, (string)connection.Items["chat.name"]!);
        return default;
    }

    private void Announce(string group, string type, string room, string name)
    {
        var count = hub.GetGroup(group).Count;
        hub.SendToGroup(group, WebSocketMessageType.Text, Json(w =>
        {
            w.WriteString("type", type);
            w.WriteString("room", room);
            w.WriteString("name", name);
            w.WriteNumber("count", count);
        }));
    }

    /// <summary>Rooms are per endpoint name, so two chat zones on different endpoints never mix.</summary>
    private static string GroupOf(WebSocketConnection connection, string room) => $"{connection.Endpoint}/{room}";

    private static string? Clean(string? value, int maxLength)
    {
        if (value is null) return null;
        var cleaned = new string(value.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (cleaned.Length > maxLength) cleaned = cleaned[..(char.IsHighSurrogate(cleaned[maxLength - 1]) ? maxLength - 1 : maxLength)];
        return cleaned.Length == 0 ? null : cleaned;
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
