using Zones.Http;

namespace Zones.Handlers.Guards;

/// <summary>
/// Cross-origin resource sharing for the zones after it. A preflight (OPTIONS with
/// Access-Control-Request-Method) is answered here: 204 with the CORS headers when origin, method
/// and headers are allowed, else 403. Other requests from an allowed origin go on with the CORS
/// response headers provisional, so whichever zone answers — a file, a template, a 404 — carries
/// them. An origin not allowed is never reflected. WebSocket upgrades and event streams are not
/// covered by the same-origin policy, so a foreign Origin there (not the server's own) is 403
/// before the handshake.
/// </summary>
public sealed class CorsHandler(CorsOptions options) : IZoneHandler
{
    private readonly CorsPolicy _policy = new(options);

    /// <inheritdoc/>
    public ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        var request = context.Request;
        var origin = request.Headers[HeaderNames.Origin];
        var state = _policy.VariesByOrigin ? CorsPolicy.WithVary(context.State, HeaderNames.Origin) : context.State;
        if (origin is null) return Continue(context.State, state);
        var allowed = _policy.Origins.Allows(origin);
        if (request.Method == HttpMethods.Options && request.Headers.Contains(CorsHeaders.RequestMethod))
            return allowed ? ZoneResult.Respond(_policy.Preflight(request, origin)) : Refuse($"The origin {origin} may not call this address.");
        if (!allowed)
        {
            return StreamingRequests.IsStreaming(request) && !OriginList.IsSameOrigin(request, origin)
                ? Refuse($"The origin {origin} may not open a stream here.")
                : Continue(context.State, state);
        }
        return ZoneResult.Next(_policy.WithResponseHeaders(state, origin));
    }

    private static ZoneResult Continue(ZoneState before, ZoneState after) => ReferenceEquals(before, after) ? ZoneResult.Pass : ZoneResult.Next(after);

    private static ZoneResult Refuse(string reason) => ZoneResult.Respond(ZoneResponse.ForStatus(403, reason));
}
