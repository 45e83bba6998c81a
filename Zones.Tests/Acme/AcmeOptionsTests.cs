using Zones.Acme;

namespace Zones.Tests.Acme;

/// <summary>Server:Tls:Acme is checked at start; each message names the setting and the fix.</summary>
public sealed class AcmeOptionsTests
{
    private static AcmeOptions Good() => new()
    {
        Directory = "https://acme-staging-v02.api.letsencrypt.org/directory",
        Domains = ["example.com", "www.example.com"],
        AcceptTermsOfService = true,
    };

    private static string Only(AcmeOptions options, bool plain = true, bool tls = true) => Assert.Single(options.Problems(plain, tls));

    [Fact]
    public void Good_settings_have_no_problem_and_both_challenges_by_default()
    {
        Assert.Empty(Good().Problems(true, true));
        Assert.Equal([AcmeOptions.Http01, AcmeOptions.TlsAlpn01], Good().UsableChallenges(true, true));
        Assert.Equal([AcmeOptions.TlsAlpn01], Good().UsableChallenges(false, true));
    }

    [Fact]
    public void Terms_of_service_must_be_accepted()
    {
        var options = Good();
        options.AcceptTermsOfService = false;
        Assert.Equal("Server:Tls:Acme:AcceptTermsOfService must be true: the CA issues only to accounts that agree to its terms of service (linked from its directory); read them, then set \"AcceptTermsOfService\": true", Only(options));
    }

    [Fact]
    public void The_directory_must_be_given_and_https()
    {
        var options = Good();
        options.Directory = null;
        Assert.StartsWith("Server:Tls:Acme:Directory is missing; give the CA's directory URL, e.g. \"https://acme-v02.api.letsencrypt.org/directory\"", Only(options));
        options.Directory = "http://ca.example/directory";
        Assert.Equal("Server:Tls:Acme:Directory \"http://ca.example/directory\" must be an https:// URL (RFC 8555 requires HTTPS), e.g. \"https://acme-v02.api.letsencrypt.org/directory\"", Only(options));
    }

    [Fact]
    public void Domains_must_be_listed_and_be_host_names_without_wildcards()
    {
        var options = Good();
        options.Domains = [];
        Assert.Equal("Server:Tls:Acme:Domains is empty; list the names the certificate is for, e.g. [ \"example.com\", \"www.example.com\" ]", Only(options));
        options.Domains = ["example.com", "*.example.com"];
        Assert.Equal("Server:Tls:Acme:Domains[1] \"*.example.com\": a wildcard can be validated only by the dns-01 challenge, which Zones does not support; list each name, or serve a wildcard certificate from a file under Server:Tls:Sni", Only(options));
        options.Domains = ["192.0.2.7"];
        Assert.Contains("an IP address; certificates for addresses (RFC 8738) are not supported", Only(options));
        options.Domains = ["localhost"];
        Assert.Equal("Server:Tls:Acme:Domains[0] \"localhost\": not a fully qualified host name such as \"example.com\"", Only(options));
        options.Domains = ["exa mple.com"];
        Assert.Contains("a host name has only letters, digits, '-' and '.'", Only(options));
        options.Domains = ["example.com", "EXAMPLE.com"];
        Assert.Equal("Server:Tls:Acme:Domains[1] \"EXAMPLE.com\" is listed twice; remove one", Only(options));
    }

    [Fact]
    public void Some_listener_must_be_able_to_answer_a_challenge_and_one_to_serve()
    {
        Assert.Equal("Server:Tls:Acme: there is no https:// listener to serve the certificate on; add one to Server:Urls, e.g. \"https://0.0.0.0:443\"", Only(Good(), plain: true, tls: false));
        var options = Good();
        options.Challenges = [AcmeOptions.Http01];
        Assert.Equal("Server:Tls:Acme: no listener can answer a challenge: \"http-01\" needs an http:// listener (port 80 for a public CA) and \"tls-alpn-01\" is not in Challenges; add an http:// URL to Server:Urls or \"tls-alpn-01\" to Challenges", Only(options, plain: false));
        Assert.Empty(options.Problems(true, true));
    }

    [Fact]
    public void Unknown_challenges_fractions_delays_and_files_are_refused()
    {
        var options = Good();
        options.Challenges = ["dns-01"];
        Assert.Equal("Server:Tls:Acme:Challenges: \"dns-01\" is not supported; use \"http-01\" and/or \"tls-alpn-01\" (dns-01 is not supported)", Only(options));
        options = Good();
        options.RenewWhenRemaining = 1.5;
        Assert.StartsWith("Server:Tls:Acme:RenewWhenRemaining must be a fraction between 0 and 1", Only(options));
        options = Good();
        options.RetryDelay = TimeSpan.Zero;
        Assert.Equal("Server:Tls:Acme:RetryDelay must be positive, e.g. \"00:01:00\"", Only(options));
        options = Good();
        options.MaxRetryDelay = TimeSpan.FromSeconds(1);
        Assert.Equal("Server:Tls:Acme:MaxRetryDelay must be at least RetryDelay, e.g. \"06:00:00\"", Only(options));
        options = Good();
        options.DirectoryCaCertificate = "/nonexistent/pebble.pem";
        Assert.StartsWith("Server:Tls:Acme:DirectoryCaCertificate /nonexistent/pebble.pem does not exist; fix the path", Only(options));
        options = Good();
        options.Email = "not an address";
        Assert.StartsWith("Server:Tls:Acme:Email \"not an address\" is not an e-mail address", Only(options));
    }

    [Fact]
    public void Paths_start_at_the_zone_files_folder()
    {
        var options = Good();
        options.DirectoryCaCertificate = "pebble.pem";
        var resolved = options.ResolvedAgainst("/srv/site");
        Assert.Equal("/srv/site/certs", resolved.CacheFolder);
        Assert.Equal("/srv/site/pebble.pem", resolved.DirectoryCaCertificate);
    }
}
