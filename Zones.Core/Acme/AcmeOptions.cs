using System.Net;

namespace Zones.Acme;

/// <summary>
/// The "Server:Tls:Acme" section: a certificate for <see cref="Domains"/> obtained from an ACME
/// CA (RFC 8555, e.g. Let's Encrypt), kept in <see cref="CacheFolder"/> and renewed in the
/// background. Until the first one arrives, handshakes for those names get a self-signed fallback.
/// </summary>
public sealed class AcmeOptions
{
    /// <summary>The http-01 challenge (RFC 8555 §8.3): the CA fetches a token over plain HTTP on port 80.</summary>
    public const string Http01 = "http-01";
    /// <summary>The tls-alpn-01 challenge (RFC 8737): the CA opens a TLS connection on port 443 asking for the acme-tls/1 protocol.</summary>
    public const string TlsAlpn01 = "tls-alpn-01";

    /// <summary>The CA's directory URL, e.g. https://acme-v02.api.letsencrypt.org/directory.</summary>
    public string? Directory { get; set; }

    /// <summary>The account's contact address (optional): the CA may write about problems with the account.</summary>
    public string? Email { get; set; }

    /// <summary>The names the certificate is for; the first is its subject.</summary>
    public List<string> Domains { get; set; } = [];

    /// <summary>Must be true: a CA issues only to an account that agreed to its terms of service.</summary>
    public bool AcceptTermsOfService { get; set; }

    /// <summary>Where the account key, the certificate and its key are kept (relative paths start at the zone file's folder).</summary>
    public string CacheFolder { get; set; } = "certs";

    /// <summary>Renew when this fraction of the certificate's lifetime is left (Let's Encrypt's 90 days: 30 days before expiry).</summary>
    public double RenewWhenRemaining { get; set; } = 1.0 / 3;

    /// <summary>The challenge types to answer, tried in this order: "http-01" (on an http:// listener), "tls-alpn-01" (on an https:// one). Null: both.</summary>
    // Null rather than a default list: the configuration binder adds to a list it finds, so a
    // default here could never be narrowed from zones.json.
    public List<string>? Challenges { get; set; }

    /// <summary>The wait after a failed attempt; it doubles with each further failure, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait between failed attempts, however many there were.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(6);

    /// <summary>A PEM file of the authority the directory's own HTTPS certificate chains to (a test CA such as Pebble); otherwise the system's trust store.</summary>
    public string? DirectoryCaCertificate { get; set; }

    /// <summary><see cref="Challenges"/>, or both types (http-01 first) when it is null or empty.</summary>
    public IReadOnlyList<string> ChallengeTypes => Challenges is { Count: > 0 } list ? list : [Http01, TlsAlpn01];

    /// <summary>A copy with <see cref="CacheFolder"/> and <see cref="DirectoryCaCertificate"/> made absolute against <paramref name="folder"/>.</summary>
    public AcmeOptions ResolvedAgainst(string folder) => new()
    {
        Directory = Directory,
        Email = Email,
        Domains = [.. Domains],
        AcceptTermsOfService = AcceptTermsOfService,
        CacheFolder = Path.GetFullPath(CacheFolder, folder),
        RenewWhenRemaining = RenewWhenRemaining,
        Challenges = Challenges is null ? null : [.. Challenges],
        RetryDelay = RetryDelay,
        MaxRetryDelay = MaxRetryDelay,
        DirectoryCaCertificate = DirectoryCaCertificate is null ? null : Path.GetFullPath(DirectoryCaCertificate, folder),
    };

    /// <summary>The challenge types that can be answered with these listeners, in the configured order.</summary>
    public IReadOnlyList<string> UsableChallenges(bool plainListener, bool tlsListener) =>
        [.. ChallengeTypes.Where(t => (t == Http01 && plainListener) || (t == TlsAlpn01 && tlsListener))];

    /// <summary>What is wrong with the section, each naming the setting and the fix; empty when it can run.</summary>
    public IEnumerable<string> Problems(bool plainListener, bool tlsListener)
    {
        const string S = "Server:Tls:Acme";
        if (string.IsNullOrWhiteSpace(Directory))
            yield return $"{S}:Directory is missing; give the CA's directory URL, e.g. \"https://acme-v02.api.letsencrypt.org/directory\" (Let's Encrypt; staging: \"https://acme-staging-v02.api.letsencrypt.org/directory\")";
        else if (!Uri.TryCreate(Directory, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            yield return $"{S}:Directory \"{Directory}\" must be an https:// URL (RFC 8555 requires HTTPS), e.g. \"https://acme-v02.api.letsencrypt.org/directory\"";
        if (!AcceptTermsOfService)
            yield return $"{S}:AcceptTermsOfService must be true: the CA issues only to accounts that agree to its terms of service (linked from its directory); read them, then set \"AcceptTermsOfService\": true";
        if (Domains.Count == 0)
            yield return $"{S}:Domains is empty; list the names the certificate is for, e.g. [ \"example.com\", \"www.example.com\" ]";
        for (var i = 0; i < Domains.Count; i++)
        {
            if (DomainProblem(Domains[i]) is { } problem) yield return $"{S}:Domains[{i}] \"{Domains[i]}\": {problem}";
            else if (Domains.FindIndex(d => string.Equals(d, Domains[i], StringComparison.OrdinalIgnoreCase)) < i)
                yield return $"{S}:Domains[{i}] \"{Domains[i]}\" is listed twice; remove one";
        }
        if (Email is { } email && (email.Length < 3 || !email.Contains('@') || email.Any(char.IsWhiteSpace)))
            yield return $"{S}:Email \"{email}\" is not an e-mail address; give one such as \"admin@example.com\", or leave it out";
        if (RenewWhenRemaining is not (> 0 and < 1))
            yield return $"{S}:RenewWhenRemaining must be a fraction between 0 and 1 of the certificate's lifetime, e.g. 0.33 (renew when a third is left)";
        foreach (var type in ChallengeTypes)
        {
            if (type is not (Http01 or TlsAlpn01))
                yield return $"{S}:Challenges: \"{type}\" is not supported; use \"{Http01}\" and/or \"{TlsAlpn01}\" (dns-01 is not supported)";
        }
        if (RetryDelay <= TimeSpan.Zero) yield return $"{S}:RetryDelay must be positive, e.g. \"00:01:00\"";
        if (MaxRetryDelay < RetryDelay) yield return $"{S}:MaxRetryDelay must be at least RetryDelay, e.g. \"06:00:00\"";
        if (DirectoryCaCertificate is { } ca && !File.Exists(ca))
            yield return $"{S}:DirectoryCaCertificate {ca} does not exist; fix the path (relative paths start at the zone file's folder), or leave it out to trust the system's authorities";
        if (!tlsListener)
            yield return $"{S}: there is no https:// listener to serve the certificate on; add one to Server:Urls, e.g. \"https://0.0.0.0:443\"";
        else if (ChallengeTypes.All(t => t is Http01 or TlsAlpn01) && UsableChallenges(plainListener, tlsListener).Count == 0)
            yield return $"{S}: no listener can answer a challenge: \"{Http01}\" needs an http:// listener (port 80 for a public CA) and \"{TlsAlpn01}\" is not in Challenges; add an http:// URL to Server:Urls or \"{TlsAlpn01}\" to Challenges";
    }

    private static string? DomainProblem(string domain)
    {
        if (domain.StartsWith("*.", StringComparison.Ordinal))
            return "a wildcard can be validated only by the dns-01 challenge, which Zones does not support; list each name, or serve a wildcard certificate from a file under Server:Tls:Sni";
        if (IPAddress.TryParse(domain, out _))
            return "an IP address; certificates for addresses (RFC 8738) are not supported, give a DNS name";
        if (domain.Length is 0 or > 253 || !domain.Contains('.') || domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains(".."))
            return "not a fully qualified host name such as \"example.com\"";
        foreach (var c in domain)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '.')) return "a host name has only letters, digits, '-' and '.' (write an internationalised name in its xn-- form)";
        }
        return null;
    }
}
