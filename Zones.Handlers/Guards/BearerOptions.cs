namespace Zones.Handlers.Guards;

/// <summary>The bearer zone's options (the zone's keys in zones.json beside Prefix and Handler).</summary>
public sealed class BearerOptions : IZoneOptionsValidation
{
    /// <summary>Named in WWW-Authenticate.</summary>
    public string Realm { get; set; } = "Zones";

    /// <summary>A name for each token (it becomes the state's User, and the access log's) → "sha256:HEX" from <c>hash-token</c>.</summary>
    public Dictionary<string, string> Tokens { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Also take the token from <c>?access_token=</c> (RFC 6750 §2.3) on WebSocket upgrades and
    /// event-stream requests, whose browser clients cannot set a header. Other requests must use
    /// the header. The access log hides the value.
    /// </summary>
    public bool QueryToken { get; set; } = true;

    /// <summary>Take tokens over plain HTTP from other machines too (TLS ends in a proxy elsewhere). Off: 403 there.</summary>
    public bool AllowInsecure { get; set; }

    /// <inheritdoc/>
    public IEnumerable<string> Validate(ZoneInfo zone)
    {
        const string Fix = "make one with `dotnet run --project Zones.Host -- hash-token` and put the sha256:… line it prints here";
        if (Tokens.Count == 0) yield return $"bearer needs \"Tokens\": {{ \"publisher\": \"sha256:…\" }}; {Fix}";
        foreach (var problem in GuardText.CheckRealm(Realm)) yield return problem;
        foreach (var (name, hash) in Tokens)
        {
            if (TokenHash.Parse(hash) is null)
                yield return $"\"Tokens\": \"{name}\" is not \"sha256:\" and 64 hex digits (the token itself is never stored); {Fix}";
        }
    }
}
