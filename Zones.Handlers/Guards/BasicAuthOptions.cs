namespace Zones.Handlers.Guards;

/// <summary>The basicauth zone's options (the zone's keys in zones.json beside Prefix and Handler).</summary>
public sealed class BasicAuthOptions : IZoneOptionsValidation
{
    /// <summary>Shown by the browser's password dialog; also tells apart zones with different users.</summary>
    public string Realm { get; set; } = "Zones";

    /// <summary>User name → password hash made by <c>hash-password</c> (<see cref="PasswordHash"/>).</summary>
    public Dictionary<string, string> Users { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Take passwords over plain HTTP from other machines too (TLS ends in a proxy elsewhere). Off: 403 there.</summary>
    public bool AllowInsecure { get; set; }

    /// <inheritdoc/>
    public IEnumerable<string> Validate(ZoneInfo zone)
    {
        const string Fix = "make a hash with `dotnet run --project Zones.Host -- hash-password` and put the line it prints here";
        if (Users.Count == 0) yield return $"basicauth needs \"Users\": {{ \"ana\": \"$pbkdf2-sha256$…\" }}; {Fix}";
        foreach (var problem in GuardText.CheckRealm(Realm)) yield return problem;
        foreach (var (user, hash) in Users)
        {
            if (user.Length == 0 || user.Contains(':') || user.AsSpan().ContainsAnyInRange('\0', '\u001f'))
                yield return $"\"Users\": \"{user}\" cannot be a user name (Basic authentication allows no ':' and no control characters); rename it";
            if (!PasswordHash.TryParse(hash ?? "", out _, out var problem))
                yield return $"\"Users\": the password of \"{user}\" {problem}; {Fix}";
        }
    }
}
