using Zones.Acme;

namespace Zones.Tls;

/// <summary>
/// The ACME certificate as handshakes need it: its <see cref="LoadedCertificate"/> (the chain
/// context built once) is made again only when ACME has a new certificate, found by reference
/// on the handshake that first sees it.
/// </summary>
internal sealed class AcmeEntry(AcmeCertificates source)
{
    private volatile Snapshot? _snapshot;

    public AcmeCertificates Source { get; } = source;

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
