namespace Zones.Handlers.Guards;

/// <summary>
/// The origins a cors zone allows: exact ones (<c>https://app.example.com</c>, scheme and host
/// compared case-insensitively, a default port left out), <c>https://*.example.com</c> for any
/// subdomain (not the bare domain), or <c>*</c> for every origin.
/// </summary>
internal sealed class OriginList
{
    private readonly HashSet<string> _exact = new(StringComparer.Ordinal);
    // The exact origins as a browser writes them ("https://app.example.com": lower case, no
    // default port), so the usual request is a set lookup without parsing its Origin.
    private readonly HashSet<string> _asSent = new(StringComparer.Ordinal);
    private readonly List<(string Scheme, string Suffix, int Port)> _wildcards = [];

    public OriginList(IEnumerable<string> origins)
    {
        foreach (var origin in origins)
        {
            if (origin == "*") AllowsAny = true;
            else if (Parse(origin.Replace("://*.", "://wildcard.", StringComparison.Ordinal)) is { } parsed)
            {
                if (origin.Contains("://*.", StringComparison.Ordinal)) _wildcards.Add((parsed.Scheme, parsed.Host["wildcard".Length..], parsed.Port));
                else
                {
                    _exact.Add(parsed.ToString());
                    // Kept only when it reads back as the same origin, so the shortcut can never allow what parsing would not.
                    if (Parse(parsed.AsSent) == parsed) _asSent.Add(parsed.AsSent);
                }
            }
        }
    }

    public bool AllowsAny { get; }

    public bool Allows(string origin)
    {
        if (AllowsAny || _asSent.Contains(origin)) return true;
        if (Parse(origin) is not { } parsed) return false;
        if (_exact.Contains(parsed.ToString())) return true;
        foreach (var (scheme, suffix, port) in _wildcards)
        {
            if (parsed.Scheme == scheme && parsed.Port == port && parsed.Host.Length > suffix.Length && parsed.Host.EndsWith(suffix, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    /// <summary>True when <paramref name="origin"/> is the request's own: the same scheme, host and port the request came to.</summary>
    public static bool IsSameOrigin(HttpRequest request, string origin) =>
        Parse(origin) is { } parsed && Parse((request.IsHttps ? "https://" : "http://") + request.Host) is { } own && parsed == own;

    /// <summary>What a configured origin must look like; null when it is fine.</summary>
    public static string? Problem(string origin) =>
        origin == "*" || Parse(origin.Replace("://*.", "://wildcard.", StringComparison.Ordinal)) is not null ? null
        : $"\"{origin}\" is not an origin; write scheme://host[:port] with nothing after it, e.g. \"https://app.example.com\", \"https://*.example.com\" or \"*\"";

    /// <summary>An origin (RFC 6454) as scheme, lower-case host and port; null for anything else (a path, userinfo, "null").</summary>
    private static Origin? Parse(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return null;
        if (uri.UserInfo.Length > 0 || uri.PathAndQuery != "/" || text.EndsWith('/') || uri.Fragment.Length > 0) return null;
        return new Origin(uri.Scheme, uri.IdnHost.ToLowerInvariant(), uri.Port);
    }

    private sealed record Origin(string Scheme, string Host, int Port)
    {
        public override string ToString() => $"{Scheme}://{Host}:{Port}";

        /// <summary>The serialization of RFC 6454 §6.1, as an Origin header carries it: the port only when it is not the scheme's default.</summary>
        public string AsSent => Port == (Scheme == "https" ? 443 : 80) ? $"{Scheme}://{Host}" : ToString();
    }
}
