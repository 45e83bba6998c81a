using System.Buffers;
using System.Net.Sockets;

namespace Zones.Server;

/// <summary>
/// Closing a socket with unread request bytes makes the kernel send RST, which can destroy the
/// response still in flight. So: half-close (FIN after the last response byte), then read and
/// drop what the client still sends, for a moment and up to a size, before the socket is closed.
/// </summary>
internal static class LingeringClose
{
    public static async ValueTask DrainAsync(Socket socket, TimeSpan time, long maxBytes, byte[]? scratch = null)
    {
        var rented = scratch is null ? ArrayPool<byte>.Shared.Rent(4096) : null;
        var buffer = scratch ?? rented!;
        try
        {
            socket.Shutdown(SocketShutdown.Send);
            using var timeout = new CancellationTokenSource(time);
            long total = 0;
            while (total < maxBytes)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (n == 0) break;
                total += n;
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone, reset, or slow to finish: nothing more to wait for.
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
