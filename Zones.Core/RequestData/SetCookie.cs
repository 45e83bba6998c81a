using System.Globalization;
using System.Text;

using Zones.Http;

namespace Zones.RequestData;

/// <summary>The SameSite attribute of a cookie; <see cref="Unspecified"/> leaves it out (browsers then treat it as Lax).</summary>
public enum SameSite
{
    /// <summary>No SameSite attribute.</summary>
    Unspecified,
    /// <summary>Sent on top-level navigations from other sites, not on their sub-requests.</summary>
    Lax,
    /// <summary>Sent only on requests from this site.</summary>
    Strict,
    /// <summary>Sent on every request, cross-site included; needs <see cref="SetCookie.Secure"/>.</summary>
    None,
}

/// <summary>
/// One Set-Cookie header (RFC 6265 §4.1), checked when it is turned into text: the name must be
/// a token, the value cookie-octets (no space, comma, semicolon, backslash, double quote or
/// control character — encode anything else yourself, e.g. with <see cref="Uri.EscapeDataString(string)"/>),
/// Path and Domain free of ';' and control characters, and SameSite=None only with Secure (browsers drop it otherwise).
/// <code>response.WithCookie(new SetCookie("session", id) { HttpOnly = true, Secure = true, SameSite = SameSite.Lax, MaxAge = TimeSpan.FromHours(1) })</code>
/// </summary>
public sealed record SetCookie(string Name, string Value)
{
    /// <summary>The path the cookie is sent for ("/" for the whole site); null leaves it to the browser (the request's folder).</summary>
    public string? Path { get; init; }

    /// <summary>The domain the cookie is sent to, subdomains included; null keeps it to this host only.</summary>
    public string? Domain { get; init; }

    /// <summary>When the cookie expires; sent as an IMF-fixdate. Null (and no <see cref="MaxAge"/>) makes a session cookie.</summary>
    public DateTimeOffset? Expires { get; init; }

    /// <summary>How long the cookie lives, in whole seconds; zero or negative deletes it at once. Wins over <see cref="Expires"/> in browsers.</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>Sent only over HTTPS.</summary>
    public bool Secure { get; init; }

    /// <summary>Hidden from scripts in the page (document.cookie).</summary>
    public bool HttpOnly { get; init; }

    /// <summary>Which cross-site requests carry the cookie; <see cref="SameSite.Unspecified"/> sends no attribute.</summary>
    public SameSite SameSite { get; init; }

    /// <summary>A cookie that tells the browser to forget <paramref name="name"/> (empty value, expired). Path and Domain must match the original.</summary>
    public static SetCookie Delete(string name, string? path = "/", string? domain = null) =>
        new(name, "") { Path = path, Domain = domain, Expires = DateTimeOffset.UnixEpoch, MaxAge = TimeSpan.Zero };

    /// <summary>The header value, e.g. "id=42; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax". Throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public override string ToString()
    {
        Validate();
        var text = new StringBuilder(Name.Length + Value.Length + 64).Append(Name).Append('=').Append(Value);
        if (Path is not null) text.Append("; Path=").Append(Path);
        if (Domain is not null) text.Append("; Domain=").Append(Domain);
        if (Expires is { } expires) text.Append("; Expires=").Append(expires.UtcDateTime.ToString("r", CultureInfo.InvariantCulture));
        if (MaxAge is { } maxAge) text.Append("; Max-Age=").Append(Math.Max(0, (long)maxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        if (Secure) text.Append("; Secure");
        if (HttpOnly) text.Append("; HttpOnly");
        if (SameSite != SameSite.Unspecified) text.Append("; SameSite=").Append(SameSite.ToString());
        return text.ToString();
    }

    private void Validate()
    {
        if (string.IsNullOrEmpty(Name) || !HttpCharacters.IsToken(Name))
            throw new ArgumentException($"Cookie name \"{Name}\" is not an HTTP token.", nameof(Name));
        ArgumentNullException.ThrowIfNull(Value);
        var value = Value.Length >= 2 && Value[0] == '"' && Value[^1] == '"' ? Value.AsSpan(1, Value.Length - 2) : Value.AsSpan();
        foreach (var c in value)
        {
            if (!IsCookieOctet(c))
                throw new ArgumentException($"Cookie \"{Name}\" has a character its value cannot carry ('{(c < 0x20 || c == 0x7F ? $"\\x{(int)c:X2}" : c.ToString())}'); encode the value, e.g. with Uri.EscapeDataString.", nameof(Value));
        }
        CheckAttribute(Path, "Path");
        CheckAttribute(Domain, "Domain");
        if (SameSite == SameSite.None && !Secure)
            throw new ArgumentException($"Cookie \"{Name}\": SameSite=None requires Secure, or browsers reject the cookie.", nameof(SameSite));
    }

    private void CheckAttribute(string? value, string attribute)
    {
        if (value is null) return;
        foreach (var c in value)
        {
            if (c < 0x20 || c == 0x7F || c == ';' || c > 0x7E)
                throw new ArgumentException($"Cookie \"{Name}\": {attribute} \"{value}\" holds a character that cannot be sent (';', a control or non-ASCII character).", attribute);
        }
    }

    // cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
    private static bool IsCookieOctet(char c) =>
        c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) || (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}
