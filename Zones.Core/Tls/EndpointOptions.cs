namespace Zones.Tls;

/// <summary>
/// One more listener with its own TLS settings (<c>Server:Endpoints</c>), e.g. an admin port that
/// requires client certificates beside a public one that does not. Unset settings come from Server:Tls.
/// </summary>
public sealed class EndpointOptions
{
    /// <summary>"https://0.0.0.0:9443" (or an http:// URL, which takes none of the TLS settings).</summary>
    public string? Url { get; set; }

    /// <summary>Whether this listener asks for client certificates (mutual TLS); null takes Server:Tls's.</summary>
    public ClientCertificateMode? ClientCertificate { get; set; }

    /// <summary>PEM file of the authorities this listener's client certificates must chain to; null takes Server:Tls's.</summary>
    public string? ClientCertificateAuthority { get; set; }

    /// <summary>Strict-Transport-Security on this listener's responses; null takes Server:Tls's.</summary>
    public HstsOptions? Hsts { get; set; }
}
