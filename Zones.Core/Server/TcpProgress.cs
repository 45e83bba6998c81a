using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Zones.Server;

/// <summary>
/// How many bytes the peer's TCP has acknowledged on a socket, from Linux's TCP_INFO
/// (tcpi_bytes_acked, since Linux 4.1). It moves while a large write is still in progress, so
/// the response data rate can be judged by what the client really takes, whatever the size of
/// the write. Null where the kernel does not tell.
/// </summary>
internal static class TcpProgress
{
    private const int IpProtoTcp = 6;
    private const int TcpInfo = 11;
    private const int BytesAckedOffset = 120; // struct tcp_info: __u64 tcpi_bytes_acked
    private static int _supported = OperatingSystem.IsLinux() ? 1 : 0; // cleared by the first failure

    public static long? BytesAcked(Socket socket)
    {
        if (Volatile.Read(ref _supported) == 0) return null;
        Span<byte> info = stackalloc byte[BytesAckedOffset + 8];
        try
        {
            if (socket.GetRawSocketOption(IpProtoTcp, TcpInfo, info) >= info.Length)
                return (long)MemoryMarshal.Read<ulong>(info[BytesAckedOffset..]);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return null; // this socket is closing; others still answer
        }
        catch (PlatformNotSupportedException)
        {
        }
        Volatile.Write(ref _supported, 0); // an older kernel, or not Linux after all: count completed writes instead
        return null;
    }
}
