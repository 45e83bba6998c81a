using Zones.Http;

namespace Zones.Handlers.Guards;

/// <summary>
/// The requests that open a long-lived stream from a browser — a WebSocket upgrade, an
/// EventSource — whose clients cannot set headers of their own and whose Origin the same-origin
/// policy does not protect (a page anywhere may open them), so guards treat them apart.
/// </summary>
internal static class StreamingRequests
{
    public static bool IsWebSocketUpgrade(HttpRequest request) => request.Headers.HasToken(HeaderNames.Upgrade, "websocket");

    public static bool IsEventStream(HttpRequest request) => request.Headers.HasToken(HeaderNames.Accept, "text/event-stream");

    public static bool IsStreaming(HttpRequest request) => IsWebSocketUpgrade(request) || IsEventStream(request);
}
