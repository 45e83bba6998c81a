using Zones.Http;

namespace Zones.Handlers;

/// <summary>405 with the Allow field every handler that limits methods answers with (RFC 9110 §15.5.6).</summary>
internal static class MethodNotAllowed
{
    public static ZoneResult Respond(string allow) =>
        ZoneResult.Respond(ZoneResponse.ForStatus(405).WithHeader(HeaderNames.Allow, allow));
}
