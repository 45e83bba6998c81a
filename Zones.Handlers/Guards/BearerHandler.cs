using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Zones.Http;

namespace Zones.Handlers.Guards;

/// <summary>
/// Static API tokens (RFC 6750) for the zones after it: <c>Authorization: Bearer TOKEN</c>, or
/// <c>?access_token=TOKEN</c> on a WebSocket upgrade or event stream (browsers cannot set headers
/// there). A known token goes on with <see cref="ZoneState.User"/> set to its name; none is 401
/// with <c>WWW-Authenticate: Bearer</c>, a wrong one 401 with <c>error="invalid_token"</c>, both
/// ways at once 400. Tokens are stored as SHA-256 (<see cref="TokenHash"/>) and compared in
/// constant time, every one of them, so the time taken does not say which one nearly matched.
/// </summary>
public sealed class BearerHandler : IZoneHandler
{
    private readonly BearerOptions _options;
    private readonly (string Name, byte[] Digest)[] _tokens;
    private readonly CredentialTransport _transport;
    private readonly string _challenge;

    /// <summary>The bearer handler of one zone; the registry makes it from zones.json.</summary>
    /// <param name="options">The zone's options, validated.</param>
    /// <param name="zone">Where the zone sits, for its log line.</param>
    /// <param name="logger">For the one warning a zone gives when it refuses tokens over plain HTTP.</param>
    public BearerHandler(BearerOptions options, ZoneInfo zone, ILogger<BearerHandler> logger)
    {
        _options = options;
        _tokens = [.. options.Tokens.Select(t => (t.Key, TokenHash.Parse(t.Value) ?? throw new InvalidOperationException($"token \"{t.Key}\" is not sha256:HEX")))];
        _transport = new CredentialTransport(options.AllowInsecure, zone, logger);
        _challenge = $"Bearer realm={GuardText.Quoted(options.Realm)}";
    }

    /// <inheritdoc/>
    public ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        var request = context.Request;
        if (!_transport.Allows(request)) return CredentialTransport.Refusal();
        string? fromHeader = null;
        if (request.Headers[HeaderNames.Authorization] is { } authorization && AuthorizationScheme.Is(authorization, "Bearer", out var credentials))
            fromHeader = credentials.ToString();
        var fromQuery = _options.QueryToken && StreamingRequests.IsStreaming(request) ? request.Query["access_token"] : null;
        if (fromHeader is not null && fromQuery is not null)
            return Answer(400, ", error=\"invalid_request\"", "Send the token in the Authorization header or in access_token, not both.");
        if ((fromHeader ?? fromQuery) is not { Length: > 0 } token) return Answer(401, "", null);
        return Match(TokenHash.Digest(token)) is { } name
            ? ZoneResult.Next(context.State with { User = name })
            : Answer(401, ", error=\"invalid_token\"", null);
    }

    /// <summary>The name of the token with this digest, comparing with every token so the time does not depend on which.</summary>
    private string? Match(byte[] digest)
    {
        string? found = null;
        foreach (var (name, stored) in _tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(stored, digest)) found ??= name;
        }
        return found;
    }

    private ZoneResult Answer(int status, string error, string? detail) =>
        ZoneResult.Respond(ZoneResponse.ForStatus(status, detail).WithHeader(HeaderNames.WwwAuthenticate, _challenge + error));
}
