namespace Zones.Tls;

/// <summary>
/// One more listener with its own TLS settings (<c>Server:Endpoints</c>), e.g. an admin port that
/// requires client certificates beside a public one that does not. Unset settings come from Server:Tls.
/// </summary>
public sealed class EndpointOptions
{
    /// <summary>"https://0.0.0.0:9443" (or an http:// URL, which takes none of the TLS settings).</summary>
    public string? Url { get; set; }

    public ClientCertificateMode? ClientCertificate { get; set; }

    public string? ClientCertificateAuthority { get; set; }

    public HstsOptions? Hsts { get; set; }
}
