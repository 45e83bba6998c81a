using System.Text.Json;

namespace Zones.Handlers.Feeds;

/// <summary>
/// Events as JSON, the one shape every non-SSE subscriber gets: long-poll answers an array of
/// them, the WebSocket feed endpoint sends one per message —
/// <c>{"id":"k3f9a2qx:42","event":"message","data":"…","time":"…"}</c>.
/// </summary>
internal static class FeedJson
{
    public static byte[] Array(IReadOnlyList<FeedEvent> events)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var e in events) Write(json, e);
            json.WriteEndArray();
        }
        return buffer.ToArray();
    }

    public static byte[] Event(FeedEvent e)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer)) Write(json, e);
        return buffer.ToArray();
    }

    private static void Write(Utf8JsonWriter json, FeedEvent e)
    {
        json.WriteStartObject();
        json.WriteString("id", e.Id);
        json.WriteString("event", e.Name);
        json.WriteString("data", e.Data);
        json.WriteString("time", e.Time);
        json.WriteEndObject();
    }
}
