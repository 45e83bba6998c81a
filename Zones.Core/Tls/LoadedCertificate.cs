using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Zones.Tls;

/// <summary>A certificate ready for handshakes: the leaf with its key, the chain sent with it, and what its files held when read.</summary>
public sealed class LoadedCertificate(X509Certificate2 leaf, X509Certificate2Collection chain, string contentHash)
{
    public X509Certificate2 Leaf { get; } = leaf;

    /// <summary>The leaf and its intermediates, built once so a handshake does not build the chain again.</summary>
    public SslStreamCertificateContext Context { get; } = SslStreamCertificateContext.Create(leaf, chain, offline: true);

    /// <summary>A hash of the certificate and key files' bytes: the reload check compares it.</summary>
    public string ContentHash { get; } = contentHash;
}
