namespace Zones.Tls;

/// <summary>Whether a TLS listener asks clients for a certificate (mutual TLS).</summary>
public enum ClientCertificateMode
{
    /// <summary>No client certificate is asked for.</summary>
    None,
    /// <summary>A client may present one; if it does, it must verify against the configured authority.</summary>
    Allow,
    /// <summary>A client must present one that verifies against the configured authority, or the handshake fails.</summary>
    Require,
}
