using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Zones.Acme;

namespace Zones.Tests.Acme;

public sealed class TlsAlpnCertificateTests
{
    [Fact]
    public void The_challenge_certificate_carries_the_critical_acmeIdentifier_with_the_hash_of_the_key_authorization()
    {
        using var certificate = TlsAlpnCertificate.Create("zones.example.com", "token.thumb");

        var extension = Assert.Single(certificate.Extensions, e => e.Oid?.Value == "1.3.6.1.5.5.7.1.31");
        Assert.True(extension.Critical);
        // DER: OCTET STRING (04), length 32, then SHA-256 of the key authorization (RFC 8737 §3).
        byte[] expected = [0x04, 0x20, .. SHA256.HashData(Encoding.ASCII.GetBytes("token.thumb"))];
        Assert.Equal(expected, extension.RawData);
        var names = DnsNames(certificate.Extensions);
        Assert.Equal(["zones.example.com"], names);
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal(certificate.Subject, certificate.Issuer);
    }

    [Fact]
    public void A_signing_request_names_every_domain_and_is_signed_by_the_certificates_key()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var der = SigningRequest.Create(["zones.example.com", "www.zones.example.com"], key);

        var request = CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        Assert.Equal("CN=zones.example.com", request.SubjectName.Name);
        var names = DnsNames(request.CertificateExtensions);
        Assert.Equal(["zones.example.com", "www.zones.example.com"], names);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), request.PublicKey.ExportSubjectPublicKeyInfo());
    }

    private static IEnumerable<string> DnsNames(IEnumerable<X509Extension> extensions)
    {
        var san = extensions.Single(e => e.Oid?.Value == "2.5.29.17");
        return new X509SubjectAlternativeNameExtension(san.RawData).EnumerateDnsNames();
    }
}
