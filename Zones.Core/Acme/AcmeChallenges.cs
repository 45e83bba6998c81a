using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace Zones.Acme;

/// <summary>
/// The challenges being answered right now: http-01 tokens with their key authorizations (the
/// built-in /.well-known/acme-challenge/ zone answers those and passes anything else), and
/// tls-alpn-01 certificates by domain (the TLS listener shows them to "acme-tls/1" clients).
/// An entry lives from just before the CA is told to validate until the authorization is decided.
/// </summary>
internal sealed class AcmeChallenges
{
    private readonly ConcurrentDictionary<string, string> _http01 = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, X509Certificate2> _tlsAlpn01 = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The key authorization for an http-01 token this server issued, or null.</summary>
    public string? Http01(string token) => _http01.TryGetValue(token, out var keyAuthorization) ? keyAuthorization : null;

    /// <summary>The tls-alpn-01 certificate for <paramref name="domain"/> while its challenge is pending, or null.</summary>
    public X509Certificate2? TlsAlpn01(string? domain) => domain is not null && _tlsAlpn01.TryGetValue(domain, out var certificate) ? certificate : null;

    internal void AddHttp01(string token, string keyAuthorization) => _http01[token] = keyAuthorization;

    internal void RemoveHttp01(string token) => _http01.TryRemove(token, out _);

    internal void AddTlsAlpn01(string domain, string keyAuthorization) => _tlsAlpn01[domain] = TlsAlpnCertificate.Create(domain, keyAuthorization);

    internal void RemoveTlsAlpn01(string domain)
    {
        if (_tlsAlpn01.TryRemove(domain, out var certificate)) certificate.Dispose();
    }
}
