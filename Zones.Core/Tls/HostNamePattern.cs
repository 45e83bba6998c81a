namespace Zones.Tls;

/// <summary>An SNI key: an exact host name, or "*.example.com", which matches exactly one label in front of example.com (RFC 6125 §6.4.3).</summary>
internal static class HostNamePattern
{
    public static bool IsWildcard(string pattern) => pattern.StartsWith("*.", StringComparison.Ordinal);

    public static bool Matches(string pattern, string hostName)
    {
        if (!IsWildcard(pattern)) return string.Equals(pattern, hostName, StringComparison.OrdinalIgnoreCase);
        var suffix = pattern.AsSpan(1); // ".example.com"
        var dot = hostName.IndexOf('.');
        return dot > 0 && hostName.AsSpan(dot).Equals(suffix, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Why a key cannot name hosts, or null when it can.</summary>
    public static string? Problem(string pattern)
    {
        var name = IsWildcard(pattern) ? pattern[2..] : pattern;
        if (name.Length == 0 || name.Contains('*')) return "a host name such as \"example.com\" or \"*.example.com\" (one '*', as the first label)";
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '.')) return "a host name of letters, digits, '-' and '.'";
        }
        return null;
    }
}
