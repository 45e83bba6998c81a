using System.Globalization;
using System.Net;

namespace Zones.Tests.Infrastructure;

/// <summary>
/// Linux's own view of a loopback TCP connection (/proc/net/tcp): how many received bytes the
/// kernel still holds for the socket at one end. Zero means that end's owner has read them — the
/// one way to know a server took bytes in while it was not answering.
/// </summary>
public static class TcpQueue
{
    /// <summary>The bytes queued for reading on the IPv4 socket from <paramref name="local"/> to <paramref name="remote"/>; null if there is no such socket.</summary>
    public static long? Unread(IPEndPoint local, IPEndPoint remote)
    {
        Requires.Linux("it reads /proc/net/tcp");
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            // "sl local_address rem_address st tx_queue:rx_queue …", addresses as little-endian hex "0100007F:1F90".
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields[1] == Hex(local) && fields[2] == Hex(remote))
                return long.Parse(fields[4].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        return null;
    }

    private static string Hex(IPEndPoint endPoint)
    {
        var address = endPoint.Address.MapToIPv4().GetAddressBytes();
        Array.Reverse(address);
        return Convert.ToHexString(address) + ":" + endPoint.Port.ToString("X4", CultureInfo.InvariantCulture);
    }
}
