using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Zones.Acme;

/// <summary>
/// What handshakes for the ACME names get until the CA has issued: a self-signed certificate
/// made in memory at start (never written), so the server starts and a client sees an untrusted
/// certificate rather than a closed port.
/// </summary>
internal static class FallbackCertificate
{
    public static IssuedCertificate Create(IReadOnlyList<string> domains)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var name = domains.Count > 0 && domains[0].Length <= 64 ? domains[0] : "zones-acme-fallback";
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + name), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var domain in domains) names.AddDnsName(domain);
        if (domains.Count > 0) request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        return new IssuedCertificate(request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(90)), [], isFallback: true);
    }
}
