using System.Net;
using Microsoft.Extensions.Logging;

namespace Zones.Handlers.Guards;

/// <summary>
/// Whether credentials may be taken on a request's connection: over TLS, or over plain HTTP that
/// never left the machine (the listener's own address is loopback — a browser on the same
/// machine, or a TLS-terminating proxy beside the server). Anything else would carry passwords
/// and tokens readable by anyone on the path, so the zone refuses it unless it sets
/// <c>AllowInsecure</c>. Judged per request, from the connection's real local address, so a
/// listener on 0.0.0.0 serves its loopback clients and refuses only the others. Logged once per zone.
/// </summary>
internal sealed partial class CredentialTransport(bool allowInsecure, ZoneInfo? zone, ILogger logger)
{
    private int _warned;

    public bool Allows(HttpRequest request)
    {
        if (allowInsecure || request.IsHttps || IsLoopback(request.LocalEndPoint)) return true;
        if (Interlocked.Exchange(ref _warned, 1) == 0)
            RefusedPlainHttp(logger, zone?.Describe() ?? "a guard zone", request.LocalEndPoint?.ToString() ?? "an unknown address");
        return false;
    }

    /// <summary>What the client is told: nothing about the configuration, only what would work.</summary>
    public static ZoneResult Refusal() =>
        ZoneResult.Respond(ZoneResponse.ForStatus(403, "This address takes credentials over HTTPS only."));

    private static bool IsLoopback(IPEndPoint? local) =>
        local is not null && IPAddress.IsLoopback(local.Address.IsIPv4MappedToIPv6 ? local.Address.MapToIPv4() : local.Address);

    [LoggerMessage(1, LogLevel.Warning, "{Zone} refuses requests over plain HTTP on {Local} (answered 403): a password or token sent there crosses the network readable by anyone on the path. Listen with https:// (see the README's HTTPS section), or set \"AllowInsecure\": true on the zone when TLS ends in a proxy on another machine.")]
    private static partial void RefusedPlainHttp(ILogger logger, string zone, string local);
}
