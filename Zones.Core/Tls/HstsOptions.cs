using System.Globalization;

namespace Zones.Tls;

/// <summary>Strict-Transport-Security (RFC 6797) on a TLS listener's responses: browsers then use HTTPS only for MaxAge.</summary>
public sealed class HstsOptions
{
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(365);

    public bool IncludeSubDomains { get; set; }

    public bool Preload { get; set; }

    /// <summary>The header's value, e.g. "max-age=31536000; includeSubDomains".</summary>
    public string HeaderValue() =>
        "max-age=" + ((long)MaxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture)
        + (IncludeSubDomains ? "; includeSubDomains" : "") + (Preload ? "; preload" : "");
}
