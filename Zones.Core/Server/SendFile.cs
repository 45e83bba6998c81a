using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;

namespace Zones.Server;

/// <summary>
/// sendfile(2) through .NET: Socket.SendPacketsAsync with a file element, which the Unix socket
/// layer turns into sendfile with an offset. The element needs a FileStream; it wraps the caller's
/// handle and is never disposed or finalized, so the handle stays the caller's to close.
/// </summary>
internal static class SendFile
{
    /// <summary>Sends up to <paramref name="count"/> bytes of the file; returns how many were sent (fewer when the file ended sooner).</summary>
    public static async Task<long> SendAsync(Socket socket, SafeFileHandle file, long offset, int count, CancellationToken cancellationToken)
    {
        var stream = new FileStream(file, FileAccess.Read, bufferSize: 0, isAsync: file.IsAsync);
        GC.SuppressFinalize(stream); // its finalizer would close the caller's handle
        var completion = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var args = new SocketAsyncEventArgs { SendPacketsElements = [new SendPacketsElement(stream, offset, count, endOfPacket: true)] };
        args.Completed += (_, e) => Complete(e, completion);
        await using var registration = cancellationToken.Register(() => socket.Dispose());
        if (!socket.SendPacketsAsync(args)) Complete(args, completion);
        return await completion.Task;
    }

    private static void Complete(SocketAsyncEventArgs e, TaskCompletionSource<long> completion)
    {
        if (e.SocketError == SocketError.Success) completion.TrySetResult(e.BytesTransferred);
        else completion.TrySetException(new IOException($"sendfile failed: {e.SocketError}", new SocketException((int)e.SocketError)));
    }
}
