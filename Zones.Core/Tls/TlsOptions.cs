using Zones.Acme;

namespace Zones.Tls;

/// <summary>
/// The "Server:Tls" section: the certificates every https:// listener serves — a default, more
/// by host name (SNI, exact or "*.example.com") — and the listeners' defaults for mutual TLS and
/// HSTS. Certificate and key files are watched: a renewed pair is used for new handshakes within
/// seconds, and a broken one is logged while the old pair stays in use.
/// </summary>
public sealed class TlsOptions
{
    /// <summary>The certificate for host names that no <see cref="Sni"/> entry matches (and for clients that send none).</summary>
    public CertificateFile? Certificate { get; set; }

    /// <summary>Host name (exact, or "*.example.com" for one label) → certificate.</summary>
    public Dictionary<string, CertificateFile> Sni { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Certificates obtained and renewed automatically from an ACME CA (Let's Encrypt) for the names listed there.</summary>
    public AcmeOptions? Acme { get; set; }

    /// <summary>Whether https:// listeners ask for client certificates (mutual TLS); None by default.</summary>
    public ClientCertificateMode ClientCertificate { get; set; }

    /// <summary>PEM file of the authorities client certificates must chain to (needed unless ClientCertificate is None).</summary>
    public string? ClientCertificateAuthority { get; set; }

    /// <summary>Strict-Transport-Security on responses over TLS; off unless set.</summary>
    public HstsOptions? Hsts { get; set; }

    /// <summary>AEAD suites only (default), or the platform's list for faster handshakes (see <see cref="TlsCipherSuites"/>).</summary>
    public TlsCipherSuites CipherSuites { get; set; }

    /// <summary>How long a TLS handshake may take before the connection is cut.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often certificate files are checked for a change.</summary>
    public TimeSpan ReloadCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A copy with every path made absolute against <paramref name="folder"/> (the zone file's).</summary>
    public TlsOptions ResolvedAgainst(string folder) => new()
    {
        Certificate = Certificate?.ResolvedAgainst(folder),
        Sni = Sni.ToDictionary(e => e.Key, e => e.Value.ResolvedAgainst(folder), StringComparer.OrdinalIgnoreCase),
        Acme = Acme?.ResolvedAgainst(folder),
        ClientCertificate = ClientCertificate,
        ClientCertificateAuthority = ClientCertificateAuthority is null ? null : Path.GetFullPath(ClientCertificateAuthority, folder),
        Hsts = Hsts,
        CipherSuites = CipherSuites,
        HandshakeTimeout = HandshakeTimeout,
        ReloadCheckInterval = ReloadCheckInterval,
    };
}
