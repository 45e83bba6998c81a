using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Zones.Tls;

/// <summary>A certificate ready for handshakes: the leaf with its key, the chain sent with it, and what its files held when read.</summary>
internal sealed class LoadedCertificate(X509Certificate2 leaf, X509Certificate2Collection chain, string contentHash)
{
    // Building the context builds an X509Chain, which reads the whole system trust store
    // (≈ 100 ms, more than the rest of a native start): it is built off the start path by
    // Prepare (which the server calls once it is serving: ZoneServer.PrepareCertificates), or by
    // the first handshake that needs it, whichever comes first.
    private readonly Lazy<SslStreamCertificateContext> _context = new(() => SslStreamCertificateContext.Create(leaf, chain, offline: true));

    public X509Certificate2 Leaf { get; } = leaf;

    /// <summary>The leaf and its intermediates, built once so a handshake does not build the chain again.</summary>
    public SslStreamCertificateContext Context => _context.Value;

    /// <summary>A hash of the certificate and key files' bytes: the reload check compares it.</summary>
    public string ContentHash { get; } = contentHash;

    /// <summary>True once <see cref="Context"/> has been built (by <see cref="Prepare"/> or a handshake).</summary>
    public bool IsPrepared => _context.IsValueCreated;

    /// <summary>Builds <see cref="Context"/> on the thread pool, so the server's start does not wait for it.</summary>
    public LoadedCertificate Prepare()
    {
        ThreadPool.UnsafeQueueUserWorkItem(static self =>
        {
            // A failure here is the first handshake's to report: Lazy keeps the exception.
            try { _ = self.Context; } catch (Exception) { }
        }, this, preferLocal: false);
        return this;
    }
}
