using Zones.Http;

namespace Zones.Handlers.Static;

/// <summary>
/// Chooses a content coding from Accept-Encoding (RFC 9110 §12.5.3): the highest weight wins, br
/// before gzip when they tie, and identity wins only when the client lists it with a higher weight.
/// No Accept-Encoding means identity: that is what every server sends such a client.
/// </summary>
internal static class ContentCoding
{
    public const string Brotli = "br";
    public const string Gzip = "gzip";

    /// <summary>The coding to send, or null for identity.</summary>
    public static string? Choose(IReadOnlyList<QualityValue> acceptEncoding, bool brotliAvailable, bool gzipAvailable)
    {
        if (acceptEncoding.Count == 0 || !(brotliAvailable || gzipAvailable)) return null;
        var brotli = brotliAvailable ? WeightOf(acceptEncoding, Brotli) ?? 0 : 0;
        var gzip = gzipAvailable ? Math.Max(WeightOf(acceptEncoding, Gzip) ?? 0, WeightOf(acceptEncoding, "x-gzip") ?? 0) : 0;
        var best = Math.Max(brotli, gzip);
        if (best <= 0) return null;
        // Identity is always acceptable, but it is preferred only when the client ranks it above the codings itself.
        if (WeightOf(acceptEncoding, "identity", wildcard: false) is { } identity && identity > best) return null;
        return brotli >= gzip ? Brotli : Gzip;
    }

    /// <summary>The weight the client gives <paramref name="coding"/>: its own entry, else "*", else null.</summary>
    private static double? WeightOf(IReadOnlyList<QualityValue> list, string coding, bool wildcard = true)
    {
        double? star = null;
        foreach (var (value, quality) in list)
        {
            if (value.Equals(coding, StringComparison.OrdinalIgnoreCase)) return quality;
            if (wildcard && value == "*") star ??= quality;
        }
        return star;
    }

    /// <summary>The file name suffix of a precompressed sibling: "app.js.br", "app.js.gz".</summary>
    public static string SiblingSuffix(string coding) => coding == Brotli ? ".br" : ".gz";
}
