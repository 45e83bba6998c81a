using System.Security.Cryptography.X509Certificates;

namespace Zones.Acme;

/// <summary>A certificate with its key and the chain sent after it: one from the CA, the cached one, or the self-signed fallback.</summary>
internal sealed class IssuedCertificate(X509Certificate2 leaf, X509Certificate2Collection chain, bool isFallback = false)
{
    private const string SubjectAlternativeName = "2.5.29.17";

    public X509Certificate2 Leaf { get; } = leaf;

    /// <summary>The intermediates, in the order the CA gave them.</summary>
    public X509Certificate2Collection Chain { get; } = chain;

    /// <summary>True for the self-signed certificate served until the CA has issued one.</summary>
    public bool IsFallback { get; } = isFallback;

    public DateTimeOffset NotBefore => Leaf.NotBefore.ToUniversalTime();

    public DateTimeOffset NotAfter => Leaf.NotAfter.ToUniversalTime();

    /// <summary>When to renew: once only <paramref name="remaining"/> of the lifetime is left.</summary>
    public DateTimeOffset RenewAt(double remaining) => NotAfter - (NotAfter - NotBefore) * remaining;

    /// <summary>True when the certificate names every one of <paramref name="domains"/>.</summary>
    public bool Covers(IEnumerable<string> domains)
    {
        var names = Leaf.Extensions.Where(e => e.Oid?.Value == SubjectAlternativeName)
            .SelectMany(e => (e as X509SubjectAlternativeNameExtension ?? new X509SubjectAlternativeNameExtension(e.RawData, e.Critical)).EnumerateDnsNames())
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return domains.All(names.Contains);
    }

    /// <summary>A PEM chain (the leaf first) and its PEM key; throws CryptographicException when they do not belong together.</summary>
    public static IssuedCertificate FromPem(string chainPem, string keyPem)
    {
        var leaf = X509Certificate2.CreateFromPem(chainPem, keyPem);
        var all = new X509Certificate2Collection();
        all.ImportFromPem(chainPem);
        var chain = new X509Certificate2Collection();
        foreach (var certificate in all.Skip(1)) chain.Add(certificate);
        all[0].Dispose();
        return new IssuedCertificate(leaf, chain);
    }
}
