using Microsoft.Extensions.Options;
using Zones.Acme;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Acme;

/// <summary>Server:Tls:Acme in zones.json, through the real program: bound, resolved against the zone file, and checked at start.</summary>
public sealed class AcmeHostTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("zones-acme-host-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string tls, string urls = "\"http://127.0.0.1:0\", \"https://127.0.0.1:0\"")
    {
        var path = Path.Combine(_folder, "zones.json");
        File.WriteAllText(path, $$"""
            { "Server": { "Urls": [ {{urls}} ], "Tls": { {{tls}} } },
              "Zones": [ { "Prefix": "/", "Handler": "notfound" } ] }
            """);
        return path;
    }

    [Fact]
    public async Task The_section_binds_with_paths_from_the_zone_files_folder_and_a_narrowed_challenge_list()
    {
        var path = Write($$"""
            "Acme": { "Directory": "https://127.0.0.1:{{Pebble.FreeTcpPort()}}/dir", "Domains": [ "zones.example.com", "www.zones.example.com" ],
                      "AcceptTermsOfService": true, "CacheFolder": "acme", "Challenges": [ "tls-alpn-01" ],
                      "RenewWhenRemaining": 0.5, "RetryDelay": "00:10:00", "MaxRetryDelay": "01:00:00" }
            """);
        using var host = await TestHost.StartAsync(["--zones", path]);
        var options = TestHost.ServerOf(host).Options.Tls.Acme!;
        var acme = TestHost.ServerOf(host).Acme!;

        Assert.Equal(Path.Combine(_folder, "acme"), options.CacheFolder);
        Assert.Equal([AcmeOptions.TlsAlpn01], options.ChallengeTypes); // not added to a default list
        Assert.Equal(0.5, options.RenewWhenRemaining);
        Assert.Equal(TimeSpan.FromMinutes(10), options.RetryDelay);
        Assert.Equal(["zones.example.com", "www.zones.example.com"], acme.Domains);
        Assert.StartsWith(Path.Combine(_folder, "acme", "127.0.0.1_"), acme.CacheFolder);
        Assert.True(acme.AnswersTlsAlpn);
        Assert.True(acme.Current.IsFallback);
        await host.StopAsync();
    }

    [Fact]
    public async Task Bad_settings_stop_the_start_with_the_file_each_setting_and_its_fix()
    {
        var path = Write("""
            "Acme": { "Directory": "http://ca.example/dir", "Domains": [ "*.example.com" ], "Challenges": [ "http-01" ] }
            """, urls: "\"https://127.0.0.1:0\"");
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHost.StartAsync(["--zones", path]));

        Assert.All(e.Failures, f => Assert.StartsWith(path + ": Server:Tls:Acme", f));
        Assert.Contains(e.Failures, f => f.Contains("Directory \"http://ca.example/dir\" must be an https:// URL"));
        Assert.Contains(e.Failures, f => f.Contains("AcceptTermsOfService must be true"));
        Assert.Contains(e.Failures, f => f.Contains("\"*.example.com\": a wildcard can be validated only by the dns-01 challenge, which Zones does not support"));
        Assert.Contains(e.Failures, f => f.Contains("no listener can answer a challenge"));
        Assert.Equal(4, e.Failures.Count());
    }

    [Fact]
    public async Task A_name_both_under_Acme_and_under_Sni_is_refused()
    {
        var certificates = new Zones.Tests.Tls.TestCertificates();
        var (certificate, key) = certificates.WritePem(certificates.Server(["zones.example.com"]), "sni");
        var path = Write($$"""
            "Sni": { "zones.example.com": { "Path": "{{certificate}}", "KeyPath": "{{key}}" } },
            "Acme": { "Directory": "https://127.0.0.1:1/dir", "Domains": [ "zones.example.com" ], "AcceptTermsOfService": true }
            """);
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHost.StartAsync(["--zones", path]));
        certificates.Dispose();

        Assert.Equal(path + ": Server:Tls:Acme:Domains and Server:Tls:Sni both name \"zones.example.com\"; one name gets one certificate, so remove it from one of them", Assert.Single(e.Failures));
    }
}
