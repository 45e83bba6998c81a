using System.Text;
using Zones.Acme;
using Zones.Http;

namespace Zones.Server;

/// <summary>
/// Answers the CA's http-01 requests, GET /.well-known/acme-challenge/TOKEN, with the key
/// authorization — for the tokens this server issued only; any other path in the folder passes
/// on to the site's zones (another ACME client may be answering there).
/// </summary>
internal sealed class AcmeChallengeHandler(AcmeChallenges challenges) : IZoneHandler
{
    public const string Prefix = "/.well-known/acme-challenge";

    public ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        var method = context.Request.Method;
        if (method != HttpMethods.Get && method != HttpMethods.Head) return ZoneResult.Pass;
        var token = context.Suffix.TrimStart('/');
        if (token.Length == 0 || challenges.Http01(token) is not { } keyAuthorization) return ZoneResult.Pass;
        return ZoneResult.Respond(ZoneResponse.Bytes(Encoding.ASCII.GetBytes(keyAuthorization), "application/octet-stream"));
    }
}
