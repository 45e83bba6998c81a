using System.Globalization;

namespace Zones.Tls;

/// <summary>Strict-Transport-Security (RFC 6797) on a TLS listener's responses: browsers then use HTTPS only for MaxAge.</summary>
public sealed class HstsOptions
{
    /// <summary>How long browsers remember to use HTTPS only, counted from each response; sent in whole seconds (default: a year).</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>The rule covers every subdomain too.</summary>
    public bool IncludeSubDomains { get; set; }

    /// <summary>Asks to be put on the browsers' built-in HSTS list (hstspreload.org requires IncludeSubDomains and a year or more).</summary>
    public bool Preload { get; set; }

    /// <summary>The header's value, e.g. "max-age=31536000; includeSubDomains".</summary>
    public string HeaderValue() =>
        "max-age=" + ((long)MaxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture)
        + (IncludeSubDomains ? "; includeSubDomains" : "") + (Preload ? "; preload" : "");
}
