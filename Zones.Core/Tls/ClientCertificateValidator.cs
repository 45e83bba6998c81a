using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Zones.Tls;

/// <summary>
/// Mutual TLS: a client certificate is good when it chains to one of the configured authorities
/// (and only those — the system's roots do not count) and may be used for client authentication.
/// Revocation is not checked: a private authority rarely publishes a list.
/// </summary>
internal sealed class ClientCertificateValidator(X509Certificate2Collection authorities, ClientCertificateMode mode)
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    public bool Validate(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? certificate, X509Chain? systemChain, SslPolicyErrors errors)
    {
        if (certificate is null) return mode == ClientCertificateMode.Allow;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        if (systemChain is not null)
        {
            foreach (var element in systemChain.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(presented);
    }

    /// <summary>The authorities in a PEM file; the message names the setting and the fix.</summary>
    public static X509Certificate2Collection ReadAuthorities(string? path, string setting)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new TlsConfigurationException($"{setting}: client certificates need \"ClientCertificateAuthority\", a PEM file of the authorities they must chain to");
        if (!File.Exists(path)) throw new TlsConfigurationException($"{setting}: ClientCertificateAuthority {path} does not exist; fix the path");
        var authorities = new X509Certificate2Collection();
        try { authorities.ImportFromPemFile(path); }
        catch (System.Security.Cryptography.CryptographicException e) { throw new TlsConfigurationException($"{setting}: ClientCertificateAuthority {path} is not a PEM certificate file ({e.Message})", e); }
        if (authorities.Count == 0) throw new TlsConfigurationException($"{setting}: ClientCertificateAuthority {path} holds no certificate");
        return authorities;
    }
}
