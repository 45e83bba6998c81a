
namespace Zones.Handlers;

/// <summary>
/// Sends a request that came over plain HTTP to the same host and target over HTTPS — 308 by
/// default, query kept — and passes requests that are already HTTPS. Put it after the zones that
/// must still answer over plain HTTP (the ACME challenge zone is placed before every zone).
/// </summary>
public sealed class HttpsRedirectHandler(HttpsRedirectOptions options) : IZoneHandler
{
    /// <inheritdoc/>
    public ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        var request = context.Request;
        if (request.IsHttps) return ZoneResult.Pass;
        var host = HostWithoutPort(request.Host);
        if (host.Length == 0) return ZoneResult.Respond(ZoneResponse.ForStatus(400, "A Host is needed to redirect to HTTPS."));
        var port = options.Port == 443 ? "" : $":{options.Port}";
        // The target as sent, made origin-form when it arrived absolute ("http://host/x?y" → "/x?y").
        var target = request.Target.StartsWith('/') ? request.Target : request.Path + (request.QueryString.Length > 0 ? "?" + request.QueryString : "");
        return ZoneResult.Respond(ZoneResponse.Redirect($"https://{host}{port}{target}", options.Status));
    }

    /// <summary>"example.com:8080" → "example.com", "[::1]:80" → "[::1]".</summary>
    private static string HostWithoutPort(string host)
    {
        var close = host.LastIndexOf(']');
        var colon = host.LastIndexOf(':');
        return colon > close ? host[..colon] : host;
    }
}
