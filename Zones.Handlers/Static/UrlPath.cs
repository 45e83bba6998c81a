using System.Text;

namespace Zones.Handlers.Static;

/// <summary>Turns a decoded path back into the path of a URL, for Location headers and links.</summary>
internal static class UrlPath
{
    /// <summary>
    /// Each segment percent-encoded (everything but RFC 3986's unreserved characters), empty
    /// segments dropped — so "//evil.example/" can never come out as a protocol-relative URL —
    /// and a trailing slash kept.
    /// </summary>
    public static string Encode(string path)
    {
        var url = new StringBuilder(path.Length + 8);
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length > 0) url.Append('/').Append(Uri.EscapeDataString(segment));
        }
        if (url.Length == 0 || path.EndsWith('/')) url.Append('/');
        return url.ToString();
    }
}
