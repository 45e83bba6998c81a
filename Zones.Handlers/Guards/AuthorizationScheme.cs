namespace Zones.Handlers.Guards;

/// <summary>The scheme of an Authorization value (RFC 9110 §11.4): a case-insensitive token, one space, then the credentials.</summary>
internal static class AuthorizationScheme
{
    /// <summary>True when <paramref name="value"/> is "<paramref name="scheme"/> CREDENTIALS"; <paramref name="credentials"/> is what follows, trimmed.</summary>
    public static bool Is(ReadOnlySpan<char> value, string scheme, out ReadOnlySpan<char> credentials)
    {
        credentials = default;
        if (value.Length <= scheme.Length || value[scheme.Length] != ' ' || !value[..scheme.Length].Equals(scheme, StringComparison.OrdinalIgnoreCase))
            return false;
        credentials = value[(scheme.Length + 1)..].Trim(' ');
        return true;
    }
}
