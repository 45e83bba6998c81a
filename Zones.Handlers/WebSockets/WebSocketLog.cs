using Microsoft.Extensions.Logging;

namespace Zones.Handlers.WebSockets;

internal static partial class WebSocketLog
{
    [LoggerMessage(100, LogLevel.Debug, "WebSocket #{Id} opened on endpoint {Endpoint} from {Remote} (subprotocol {SubProtocol}, compressed {Compressed})")]
    public static partial void Opened(ILogger logger, long id, string endpoint, string remote, string subProtocol, bool compressed);

    [LoggerMessage(101, LogLevel.Debug, "WebSocket #{Id} closed: {Status} {Description}")]
    public static partial void Closed(ILogger logger, long id, int status, string description);

    [LoggerMessage(102, LogLevel.Error, "WebSocket #{Id}: endpoint {Endpoint} failed in {Method}; the connection is closed with 1011")]
    public static partial void EndpointFailed(ILogger logger, long id, string endpoint, string method, Exception exception);

    [LoggerMessage(103, LogLevel.Debug, "WebSocket #{Id}: a send lost the race with the close: {Message}")]
    public static partial void SendAfterClose(ILogger logger, long id, string message);

    [LoggerMessage(104, LogLevel.Debug, "WebSocket #{Id} ended without a clean close")]
    public static partial void Ended(ILogger logger, long id, Exception exception);
}
