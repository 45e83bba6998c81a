using System.Net;
using System.Net.Sockets;

namespace Zones.Handlers.Guards;

/// <summary>Who a request counts against in a ratelimit zone.</summary>
internal static class ClientKey
{
    public static string Of(ZoneState state, RateLimitBy partition) =>
        partition == RateLimitBy.User && state.User is { } user ? "user:" + user : Address(state.Request.RemoteEndPoint);

    /// <summary>An IPv4 address whole; IPv6 by its /64, since one machine is usually handed a whole /64 and could walk through it.</summary>
    private static string Address(IPEndPoint? remote)
    {
        if (remote is null) return "-";
        var address = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}
