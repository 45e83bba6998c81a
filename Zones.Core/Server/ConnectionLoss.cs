namespace Zones.Server;

/// <summary>The client went away or the connection was cut: an ordinary end of a connection, logged at debug level only.</summary>
internal static class ConnectionLoss
{
    public static bool Is(Exception e) =>
        e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or ConnectionAbortedException
        || (e is OperationCanceledException && e.InnerException is null);
}

/// <summary>The connection had to be cut (a response failed midway, or the client stopped reading).</summary>
internal sealed class ConnectionAbortedException(string message, Exception? inner = null) : IOException(message, inner);
