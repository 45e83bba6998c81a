using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Zones.Acme;

/// <summary>
/// The certificate a tls-alpn-01 challenge is answered with (RFC 8737 §3): self-signed, for the
/// one domain, with the critical acmeIdentifier extension holding SHA-256 of the key
/// authorization. It is shown only to a client that asks for ALPN "acme-tls/1".
/// </summary>
internal static class TlsAlpnCertificate
{
    public const string Protocol = "acme-tls/1";

    /// <summary>id-pe-acmeIdentifier.</summary>
    public const string AcmeIdentifierOid = "1.3.6.1.5.5.7.1.31";

    public static X509Certificate2 Create(string domain, string keyAuthorization)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + domain), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(domain);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509Extension(AcmeIdentifierOid, ExtensionValue(keyAuthorization), critical: true));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));
    }

    /// <summary>The extension's value: the DER of an OCTET STRING of 32 bytes, SHA-256(key authorization).</summary>
    public static byte[] ExtensionValue(string keyAuthorization)
    {
        var value = new byte[34];
        value[0] = 0x04; // OCTET STRING
        value[1] = 32;
        SHA256.HashData(Encoding.ASCII.GetBytes(keyAuthorization), value.AsSpan(2));
        return value;
    }
}
