using System.Globalization;
using System.Net;

namespace Zones.Server;

/// <summary>Reads a listen URL in ASP.NET Core's form: http:// or https://, then host:port with an IP address, localhost, or a wildcard (*, +, 0.0.0.0, [::]).</summary>
internal static class ListenAddress
{
    /// <summary>The endpoints to bind for <paramref name="url"/>; throws <see cref="FormatException"/> with the fix in its message.</summary>
    public static IReadOnlyList<IPEndPoint> Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        const string Expected = "expected http://HOST:PORT or https://HOST:PORT, e.g. http://127.0.0.1:8080";
        if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !IsHttps(url))
            throw new FormatException($"\"{url}\": {Expected}.");

        var hostPort = url[(IsHttps(url) ? "https://".Length : "http://".Length)..].TrimEnd('/');
        if (hostPort.Contains('/')) throw new FormatException($"\"{url}\": a listen address has no path; {Expected}.");
        var colon = hostPort.LastIndexOf(':');
        if (colon < 0 || hostPort.EndsWith(']')) throw new FormatException($"\"{url}\": the port is missing; {Expected}.");
        var host = hostPort[..colon];
        if (!int.TryParse(hostPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            throw new FormatException($"\"{url}\": the port must be a number from 0 to 65535.");

        switch (host)
        {
            case "*" or "+" or "0.0.0.0":
                return [new IPEndPoint(IPAddress.Any, port)];
            case "[::]":
                return [new IPEndPoint(IPAddress.IPv6Any, port)];
            case "localhost":
                return [new IPEndPoint(IPAddress.Loopback, port)];
        }
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (!IPAddress.TryParse(literal, out var address))
            throw new FormatException($"\"{url}\": \"{host}\" is not an IP address; use an address, localhost, or * for every interface.");
        return [new IPEndPoint(address, port)];
    }

    /// <summary>True for an https:// URL: its listener speaks TLS.</summary>
    public static bool IsHttps(string url) => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    public static string Format(IPEndPoint endPoint, bool https = false)
    {
        var scheme = https ? "https" : "http";
        return endPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"{scheme}://[{endPoint.Address}]:{endPoint.Port}" : $"{scheme}://{endPoint.Address}:{endPoint.Port}";
    }
}
