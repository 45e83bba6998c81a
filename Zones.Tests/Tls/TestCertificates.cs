using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Zones.Tests.Tls;

/// <summary>
/// A throwaway certificate authority in a temporary folder, and certificates it signs: for the
/// server (localhost, 127.0.0.1 and any names asked for) and for clients (mutual TLS), written as
/// PEM or PKCS#12 files the way a user would have them.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    public TestCertificates(string name = "Zones Test CA")
    {
        Folder = Directory.CreateTempSubdirectory("zones-tls-").FullName;
        _authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", _authorityKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        AuthorityPath = Path.Combine(Folder, "ca.pem");
        File.WriteAllText(AuthorityPath, Authority.ExportCertificatePem());
    }

    private readonly ECDsa _authorityKey;

    public string Folder { get; }

    public X509Certificate2 Authority { get; }

    /// <summary>The authority's certificate as PEM: what curl --cacert and a client's trust store take.</summary>
    public string AuthorityPath { get; }

    /// <summary>A server certificate for <paramref name="names"/> (plus localhost and 127.0.0.1), signed by the authority.</summary>
    public X509Certificate2 Server(string[]? names = null, bool rsa = false, DateTimeOffset? notAfter = null, string? commonName = null)
    {
        var sans = new SubjectAlternativeNameBuilder();
        sans.AddDnsName("localhost");
        sans.AddIpAddress(IPAddress.Loopback);
        foreach (var name in names ?? []) sans.AddDnsName(name);
        return Issue(commonName ?? names?.FirstOrDefault() ?? "localhost", rsa, notAfter, sans.Build(), "1.3.6.1.5.5.7.3.1");
    }

    /// <summary>A client certificate (mutual TLS) for <paramref name="commonName"/>.</summary>
    public X509Certificate2 Client(string commonName) => Issue(commonName, rsa: false, null, null, "1.3.6.1.5.5.7.3.2");

    /// <summary>Writes cert.pem (leaf, then the authority as its chain) and key.pem under <paramref name="name"/>; returns both paths.</summary>
    public (string Certificate, string Key) WritePem(X509Certificate2 certificate, string name)
    {
        var folder = Path.Combine(Folder, name);
        Directory.CreateDirectory(folder);
        var certificatePath = Path.Combine(folder, "cert.pem");
        var keyPath = Path.Combine(folder, "key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n" + Authority.ExportCertificatePem());
        var key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()!;
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    /// <summary>Writes NAME.pfx with <paramref name="password"/>.</summary>
    public string WritePfx(X509Certificate2 certificate, string name, string password)
    {
        var path = Path.Combine(Folder, name + ".pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    /// <summary>Accepts exactly the certificates that chain to this authority: a client's validation callback.</summary>
    public bool Trusts(X509Certificate? certificate)
    {
        if (certificate is null) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    private X509Certificate2 Issue(string commonName, bool rsa, DateTimeOffset? notAfter, X509Extension? sans, string usage)
    {
        using var rsaKey = rsa ? RSA.Create(2048) : null;
        using var ecKey = rsa ? null : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = rsa
            ? new CertificateRequest($"CN={commonName}", rsaKey!, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest($"CN={commonName}", ecKey!, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (sans is not null) request.CertificateExtensions.Add(sans);
        var serial = RandomNumberGenerator.GetBytes(12);
        var until = notAfter ?? DateTimeOffset.UtcNow.AddDays(30);
        // Signed by the authority's key, whatever the leaf's own algorithm.
        using var issued = request.Create(Authority.SubjectName, X509SignatureGenerator.CreateForECDsa(_authorityKey), DateTimeOffset.UtcNow.AddDays(-1), until, serial);
        return rsa ? issued.CopyWithPrivateKey(rsaKey!) : issued.CopyWithPrivateKey(ecKey!);
    }

    public void Dispose()
    {
        Authority.Dispose();
        _authorityKey.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
