using System.Net;
using Microsoft.Extensions.Logging;

namespace Zones.Server;

/// <summary>The server's log messages, source-generated so a disabled level costs nothing.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Now listening on: {Url}")]
    public static partial void Listening(ILogger logger, string url);

    [LoggerMessage(2, LogLevel.Error, "Handler failed on \"{RequestLine}\" from {Remote}")]
    public static partial void HandlerFailed(ILogger logger, string requestLine, EndPoint? remote, Exception exception);

    [LoggerMessage(3, LogLevel.Debug, "Connection {ConnectionId} from {Remote}: bad request ({Status}): {Reason}")]
    public static partial void BadRequest(ILogger logger, long connectionId, EndPoint? remote, int status, string reason);

    [LoggerMessage(4, LogLevel.Debug, "Connection {ConnectionId} lost: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, long connectionId, string reason);

    [LoggerMessage(5, LogLevel.Error, "Connection {ConnectionId} failed unexpectedly")]
    public static partial void ConnectionFailed(ILogger logger, long connectionId, Exception exception);

    [LoggerMessage(6, LogLevel.Warning, "Response to \"{RequestLine}\" failed after its head was sent; the connection is closed")]
    public static partial void ResponseFailed(ILogger logger, string requestLine, Exception exception);

    [LoggerMessage(7, LogLevel.Error, "Take-over handler failed on \"{RequestLine}\"")]
    public static partial void TakeOverFailed(ILogger logger, string requestLine, Exception exception);

    [LoggerMessage(8, LogLevel.Information, "Stopping: {Count} connection(s) open")]
    public static partial void Stopping(ILogger logger, int count);

    [LoggerMessage(9, LogLevel.Warning, "Shutdown timeout: cutting {Count} connection(s) still open")]
    public static partial void ShutdownTimedOut(ILogger logger, int count);

    // A warning, at most once a minute: it is often a flood of clients and the server recovers by
    // itself, but it turns connections away meanwhile and the operator has a limit to raise.
    [LoggerMessage(10, LogLevel.Warning, "Accept failed on {Url}: {Reason} ({Error}); {Unlogged} more since the last such line. Out of file descriptors? Raise the limit (ulimit -n; LimitNOFILE= in a systemd unit) or set Server:Limits:MaxConnections below it. Retrying, from every 5 ms up to every second; logged at most once a minute.")]
    public static partial void AcceptFailed(ILogger logger, string url, string reason, System.Net.Sockets.SocketError error, int unlogged);

    [LoggerMessage(19, LogLevel.Warning, "Out of file descriptors: \"{RequestLine}\" was answered 503 ({Reason}); {Unlogged} more since the last such line. Raise the limit (ulimit -n; LimitNOFILE= in a systemd unit) or set Server:Limits:MaxConnections below it. Logged at most once a minute.")]
    public static partial void OutOfDescriptors(ILogger logger, string requestLine, string reason, int unlogged);

    [LoggerMessage(12, LogLevel.Warning, "Refused a connection from {Remote}: {Limit} connections open, the limit ({Why}); {Unlogged} more since the last such line (logged at most once a minute; zones.connections.rejected counts them all)")]
    public static partial void ConnectionRefused(ILogger logger, EndPoint? remote, int limit, string why, int unlogged);

    [LoggerMessage(22, LogLevel.Warning, "Server:Limits:MaxConnections {Max} is more than the {Descriptors} file descriptors this process may open leave room for (about {Room} connections): past that, accepts and file opens fail until connections close. Raise the limit (ulimit -n; LimitNOFILE= in a systemd unit) or lower MaxConnections.")]
    public static partial void MaxConnectionsOverDescriptors(ILogger logger, int max, long descriptors, int room);

    [LoggerMessage(11, LogLevel.Information, "{Remote} {User} \"{RequestLine}\" {Status} {Bytes} {Milliseconds:0.0}ms")]
    public static partial void Access(ILogger logger, string remote, string user, string requestLine, int status, long bytes, double milliseconds);

    [LoggerMessage(16, LogLevel.Warning, "The access log fell behind: {Count} line(s) dropped")]
    public static partial void AccessLogDropped(ILogger logger, long count);

    [LoggerMessage(17, LogLevel.Warning, "Writing the access log failed; its lines are lost until a write succeeds")]
    public static partial void AccessLogWriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(18, LogLevel.Information, "Writing the access log works again")]
    public static partial void AccessLogRecovered(ILogger logger);

    [LoggerMessage(13, LogLevel.Warning, "Cleaning up after \"{RequestLine}\" failed")]
    public static partial void RequestCleanupFailed(ILogger logger, string requestLine, Exception exception);

    [LoggerMessage(14, LogLevel.Warning, "Response to \"{RequestLine}\" sent {Sent} of the {Declared} body bytes its Content-Length declared; the connection is closed")]
    public static partial void ResponseShort(ILogger logger, string requestLine, long sent, long declared);

    [LoggerMessage(15, LogLevel.Debug, "Connection {ConnectionId} from {Remote} closed before sending a whole request line")]
    public static partial void ClosedInRequestLine(ILogger logger, long connectionId, EndPoint? remote);
}
