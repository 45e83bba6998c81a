using System.Collections.Frozen;
using System.Text;
using Microsoft.Extensions.Logging;
using Zones.Http;

namespace Zones.Handlers.Guards;

/// <summary>
/// HTTP Basic authentication (RFC 7617) for the zones after it: a request with a known user and
/// the right password goes on with <see cref="ZoneState.User"/> set; anything else is answered
/// 401 with the challenge (400 for a header no browser would send). Passwords are only stored as
/// <see cref="PasswordHash"/>es; an unknown user is checked against a hash no password matches, so
/// both cost the same. Credentials that passed are remembered (<see cref="VerifiedCredentials"/>)
/// so a keep-alive client pays for PBKDF2 once. Over plain HTTP from another machine the zone
/// refuses (403) unless AllowInsecure (<see cref="CredentialTransport"/>).
/// </summary>
public sealed class BasicAuthHandler : IZoneHandler
{
    private readonly FrozenDictionary<string, PasswordHash> _users;
    private readonly PasswordHash _unknownUser;
    private readonly VerifiedCredentials _verified = new();
    private readonly CredentialTransport _transport;
    private readonly string _challenge;

    /// <summary>The basicauth handler of one zone; the registry makes it from zones.json.</summary>
    /// <param name="options">The zone's options, validated.</param>
    /// <param name="zone">Where the zone sits, for its log line.</param>
    /// <param name="logger">For the one warning a zone gives when it refuses credentials over plain HTTP.</param>
    public BasicAuthHandler(BasicAuthOptions options, ZoneInfo zone, ILogger<BasicAuthHandler> logger)
    {
        _users = options.Users.ToFrozenDictionary(u => u.Key, u => Parse(u.Value), StringComparer.Ordinal);
        _unknownUser = PasswordHash.Unmatchable(_users.Values.Max(h => h.Iterations));
        _transport = new CredentialTransport(options.AllowInsecure, zone, logger);
        _challenge = $"Basic realm={GuardText.Quoted(options.Realm)}, charset=\"UTF-8\"";
    }

    /// <inheritdoc/>
    public ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        if (!_transport.Allows(context.Request)) return CredentialTransport.Refusal();
        switch (BasicCredentials.Read(context.Request.Headers, out var credentials))
        {
            case BasicCredentials.Outcome.Malformed:
                return ZoneResult.Respond(ZoneResponse.ForStatus(400, "The Authorization header is not Basic base64(user:password) in UTF-8."));
            case BasicCredentials.Outcome.Present:
                if (_verified.TryGet(credentials, out var user)) return ZoneResult.Next(context.State with { User = user });
                if (Check(credentials))
                {
                    _verified.Add(credentials);
                    return ZoneResult.Next(context.State with { User = credentials.User });
                }
                break;
        }
        return ZoneResult.Respond(ZoneResponse.ForStatus(401).WithHeader(HeaderNames.WwwAuthenticate, _challenge));
    }

    /// <summary>How many verified credentials are remembered now (for tests).</summary>
    internal int RememberedCount => _verified.Count;

    /// <summary>One PBKDF2 derivation whoever asks: a known user's hash, or one nothing matches.</summary>
    private bool Check(in BasicCredentials credentials)
    {
        var known = _users.TryGetValue(credentials.User, out var hash);
        var matches = (hash ?? _unknownUser).Verify(Encoding.UTF8.GetBytes(credentials.Password));
        return known & matches;
    }

    private static PasswordHash Parse(string text) =>
        PasswordHash.TryParse(text, out var hash, out var problem) ? hash : throw new InvalidOperationException($"a password hash {problem}");
}
