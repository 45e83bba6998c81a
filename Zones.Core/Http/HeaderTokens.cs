namespace Zones.Http;

/// <summary>Reads comma-separated token lists (Connection: keep-alive, Upgrade).</summary>
public static class HeaderTokens
{
    /// <summary>True when the comma-separated <paramref name="list"/> holds <paramref name="token"/>, ignoring case and whitespace.</summary>
    public static bool Contains(ReadOnlySpan<char> list, ReadOnlySpan<char> token)
    {
        foreach (var range in list.Split(','))
        {
            if (list[range].Trim(" \t").Equals(token, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>The trimmed, non-empty elements of a comma-separated list.</summary>
    public static IEnumerable<string> Split(string? list)
    {
        if (string.IsNullOrEmpty(list)) yield break;
        foreach (var part in list.Split(','))
        {
            var trimmed = part.Trim(' ', '\t');
            if (trimmed.Length > 0) yield return trimmed;
        }
    }
}
