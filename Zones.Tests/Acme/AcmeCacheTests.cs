using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Zones.Acme;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Acme;

/// <summary>The CacheFolder files: where they are, their modes, and a cached certificate used at start without the CA.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AcmeCacheTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("zones-acme-cache-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Each_CA_has_its_own_folder_named_after_its_directory()
    {
        Assert.Equal("acme-v02.api.letsencrypt.org-directory", AcmeCache.FolderName(new Uri("https://acme-v02.api.letsencrypt.org/directory")));
        Assert.Equal("127.0.0.1_14000-dir", AcmeCache.FolderName(new Uri("https://127.0.0.1:14000/dir")));
    }

    [Fact]
    public void The_account_key_is_created_once_with_mode_0600_and_read_back_the_same()
    {
        Requires.Linux("file modes");
        var cache = new AcmeCache(_folder, new Uri("https://ca.test/dir"));
        string thumbprint;
        using (var created = cache.AccountKey()) thumbprint = created.Thumbprint;
        using var again = cache.AccountKey();
        Assert.Equal(thumbprint, again.Thumbprint);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cache.AccountKeyPath));
    }

    [Fact]
    public void A_stored_certificate_is_read_back_with_its_key_which_only_the_owner_can_read()
    {
        Requires.Linux("file modes");
        var cache = new AcmeCache(_folder, new Uri("https://ca.test/dir"));
        var (chainPem, keyPem) = SelfSigned(["zones.example.com"], TimeSpan.FromDays(30));
        cache.Store(chainPem, keyPem);

        var cached = cache.Certificate()!;
        Assert.True(cached.Leaf.HasPrivateKey);
        Assert.True(cached.Covers(["zones.example.com"]));
        Assert.False(cached.Covers(["zones.example.com", "www.zones.example.com"]));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cache.CertificateKeyPath));
        Assert.Empty(Directory.GetFiles(cache.Folder, "*.tmp"));
    }

    [Fact]
    public async Task A_cached_certificate_still_good_is_served_at_start_without_asking_the_CA()
    {
        var options = new AcmeOptions { Directory = "https://ca.test/dir", Domains = ["zones.example.com"], AcceptTermsOfService = true, CacheFolder = _folder };
        var cache = new AcmeCache(_folder, new Uri(options.Directory));
        var (chainPem, keyPem) = SelfSigned(["zones.example.com"], TimeSpan.FromDays(90));
        cache.Store(chainPem, keyPem);
        var ca = new RecordedCa(); // expects nothing: any request fails the test
        var logs = new ListLoggerProvider();
        await using var acme = new AcmeCertificates(options, [AcmeOptions.Http01], logs.CreateLogger("Zones.Acme"), handler: ca);
        Assert.True(acme.Current.IsFallback);

        acme.Start();
        await logs.WaitForAsync(e => e.Message.StartsWith("ACME: using the cached certificate for zones.example.com", StringComparison.Ordinal));

        Assert.False(acme.Current.IsFallback);
        Assert.Equal(cache.Certificate()!.Leaf.Thumbprint, acme.Current.Leaf.Thumbprint);
        Assert.Empty(ca.Requests);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_certificate_acme_takes_on_has_its_handshake_context_built_before_any_handshake()
    {
        var options = new AcmeOptions { Directory = "https://ca.test/dir", Domains = ["zones.example.com"], AcceptTermsOfService = true, CacheFolder = _folder };
        var (chainPem, keyPem) = SelfSigned(["zones.example.com"], TimeSpan.FromDays(90));
        new AcmeCache(_folder, new Uri(options.Directory)).Store(chainPem, keyPem);
        var logs = new ListLoggerProvider();
        await using var acme = new AcmeCertificates(options, [AcmeOptions.Http01], logs.CreateLogger("Zones.Acme"), handler: new RecordedCa());
        var entry = new Zones.Tls.AcmeEntry(acme);
        var fallback = entry.Current;

        acme.Start(); // takes the cached certificate: what the first handshake would have had to build is built now
        await logs.WaitForAsync(e => e.Message.StartsWith("ACME: using the cached certificate", StringComparison.Ordinal));
        await Wait.UntilAsync(() => entry.Current.IsPrepared, "the cached certificate's context");
        Assert.NotSame(fallback, entry.Current);
        Assert.Equal(acme.Current.Leaf.Thumbprint, entry.Current.Leaf.Thumbprint);
        Assert.False(fallback.IsPrepared); // nobody asked for the fallback's, and nothing built it
    }

    [Fact]
    public async Task A_cached_certificate_for_other_names_is_not_used()
    {
        var options = new AcmeOptions { Directory = "https://ca.test/dir", Domains = ["zones.example.com", "www.zones.example.com"], AcceptTermsOfService = true, CacheFolder = _folder, RetryDelay = TimeSpan.FromMinutes(5) };
        var (chainPem, keyPem) = SelfSigned(["zones.example.com"], TimeSpan.FromDays(90));
        new AcmeCache(_folder, new Uri(options.Directory)).Store(chainPem, keyPem);
        var ca = new RecordedCa().Then("GET", "/dir", 503, "down", contentType: "text/plain");
        var logs = new ListLoggerProvider();
        await using var acme = new AcmeCertificates(options, [AcmeOptions.Http01], logs.CreateLogger("Zones.Acme"), handler: ca);

        acme.Start();
        await logs.WaitForAsync(e => e.Message.Contains("does not name all of zones.example.com, www.zones.example.com", StringComparison.Ordinal));
        var failure = await logs.WaitForAsync(e => e.Level == LogLevel.Warning);

        Assert.Equal("ACME: could not obtain a certificate for zones.example.com, www.zones.example.com from https://ca.test/dir: GET https://ca.test/dir: HTTP 503 Service Unavailable (error); next attempt in 00:05:00", failure.Message);
        Assert.True(acme.Current.IsFallback);
        Assert.True(acme.Current.Covers(options.Domains));
    }

    private static (string ChainPem, string KeyPem) SelfSigned(string[] names, TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + names[0], key, HashAlgorithmName.SHA256);
        var sans = new SubjectAlternativeNameBuilder();
        foreach (var name in names) sans.AddDnsName(name);
        request.CertificateExtensions.Add(sans.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow + lifetime);
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
