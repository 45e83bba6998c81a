using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Zones.Acme;

/// <summary>The CSR an order is finalised with (RFC 8555 §7.4): every domain as a DNS name in the SAN, the first as the subject.</summary>
internal static class SigningRequest
{
    public static byte[] Create(IReadOnlyList<string> domains, ECDsa key)
    {
        // A common name holds at most 64 characters (RFC 5280); the SAN is what counts anyway.
        var subject = domains[0].Length <= 64 ? new X500DistinguishedName("CN=" + domains[0]) : new X500DistinguishedName("");
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var domain in domains) names.AddDnsName(domain);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSigningRequest();
    }
}
