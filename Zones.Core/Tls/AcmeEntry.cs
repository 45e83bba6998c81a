using Zones.Acme;

namespace Zones.Tls;

/// <summary>
/// The ACME certificate as handshakes need it: its <see cref="LoadedCertificate"/> (the chain
/// context built once) is made again only when ACME has a new certificate, found by reference.
/// A new one is prepared in the background as soon as ACME has it, so no handshake waits for its
/// chain to be built (≈ 100 ms).
/// </summary>
internal sealed class AcmeEntry
{
    private volatile Snapshot? _snapshot;

    public AcmeEntry(AcmeCertificates source)
    {
        Source = source;
        source.CertificateChanged += () => Current.Prepare();
    }

    public AcmeCertificates Source { get; }

    public LoadedCertificate Current
    {
        get
        {
            var issued = Source.Current;
            var snapshot = _snapshot;
            if (snapshot?.Issued != issued)
            {
                // Two handshakes racing here both build it; either result serves.
                snapshot = new Snapshot(issued, new LoadedCertificate(issued.Leaf, issued.Chain, issued.Leaf.Thumbprint));
                _snapshot = snapshot;
            }
            return snapshot.Loaded;
        }
    }

    private sealed record Snapshot(IssuedCertificate Issued, LoadedCertificate Loaded);
}
