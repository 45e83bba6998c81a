using System.Globalization;

namespace Zones.Http;

/// <summary>One element of an Accept-style list: the value ("gzip", "text/html", "en-GB") and its weight.</summary>
public readonly record struct QualityValue(string Value, double Quality);

/// <summary>
/// Reads Accept, Accept-Encoding, Accept-Language and the like (RFC 9110 §12.4.2): elements
/// sorted by quality, highest first, keeping the client's order among equals. Malformed weights
/// count as 1, as most servers do; "q=0" means "not acceptable" and is kept so callers can see it.
/// </summary>
public static class QualityValues
{
    /// <summary>The elements of <paramref name="header"/> (the joined field value, e.g. "gzip;q=0.8, br"), highest quality first; empty for null or blank.</summary>
    public static IReadOnlyList<QualityValue> Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return [];
        var list = new List<QualityValue>();
        foreach (var element in header.Split(','))
        {
            var parts = element.Split(';');
            var value = parts[0].Trim(' ', '\t');
            if (value.Length == 0) continue;
            var quality = 1.0;
            var parameters = new List<string>();
            foreach (var parameter in parts.Skip(1))
            {
                var p = parameter.Trim(' ', '\t');
                if (p.StartsWith("q=", StringComparison.OrdinalIgnoreCase))
                {
                    if (double.TryParse(p.AsSpan(2), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var q) && q is >= 0 and <= 1)
                        quality = q;
                }
                else if (p.Length > 0)
                {
                    parameters.Add(p);
                }
            }
            if (parameters.Count > 0) value += ";" + string.Join(";", parameters);
            list.Add(new QualityValue(value, quality));
        }
        // OrderByDescending is stable: equal weights keep the client's order.
        return list.OrderByDescending(v => v.Quality).ToList();
    }

    /// <summary>
    /// The weight <paramref name="header"/> gives <paramref name="token"/> (case-insensitive):
    /// its own entry, else "*", else 0 — or null when the header is absent, which usually means
    /// "anything is fine".
    /// </summary>
    public static double? QualityOf(string? header, string token)
    {
        if (header is null) return null;
        double? wildcard = null;
        foreach (var (value, quality) in Parse(header))
        {
            if (value.Equals(token, StringComparison.OrdinalIgnoreCase)) return quality;
            if (value == "*") wildcard ??= quality;
        }
        return wildcard ?? 0;
    }
}
