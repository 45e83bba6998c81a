using Zones.Tls;

namespace Zones.Tests.Tls;

/// <summary>
/// A start loads each certificate twice (the validator, then the server); the second load finds
/// the first's. What is found must be exactly what a fresh load would give.
/// </summary>
public sealed class RecentCertificatesTests : IDisposable
{
    private const string Setting = "Server:Tls:Certificate";
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public void The_same_files_load_once()
    {
        var (certificate, key) = _certificates.WritePem(_certificates.Server(commonName: "once"), "once");
        var first = CertificateLoader.Load(new CertificateFile { Path = certificate, KeyPath = key }, Setting);
        var second = CertificateLoader.Load(new CertificateFile { Path = certificate, KeyPath = key }, Setting);
        Assert.Same(first, second);
    }

    [Fact]
    public void An_edited_file_is_read_again()
    {
        var (certificate, key) = _certificates.WritePem(_certificates.Server(commonName: "before"), "site");
        var before = CertificateLoader.Load(new CertificateFile { Path = certificate, KeyPath = key }, Setting);
        _certificates.WritePem(_certificates.Server(commonName: "after"), "site"); // the same paths, new content
        var after = CertificateLoader.Load(new CertificateFile { Path = certificate, KeyPath = key }, Setting);
        Assert.NotSame(before, after);
        Assert.Equal("CN=before", before.Leaf.Subject);
        Assert.Equal("CN=after", after.Leaf.Subject);
    }

    [Fact]
    public void A_wrong_password_is_refused_after_the_right_one_loaded()
    {
        var pfx = _certificates.WritePfx(_certificates.Server(commonName: "pfx"), "locked", "s3cret");
        CertificateLoader.Load(new CertificateFile { Path = pfx, Password = "s3cret" }, Setting);
        Assert.Throws<TlsConfigurationException>(() => CertificateLoader.Load(new CertificateFile { Path = pfx, Password = "nope" }, Setting));
        Assert.Throws<TlsConfigurationException>(() => CertificateLoader.Load(new CertificateFile { Path = pfx }, Setting));
    }

    [Fact]
    public void Expiry_is_judged_at_every_load_even_when_found()
    {
        var notAfter = DateTimeOffset.UtcNow.AddDays(2);
        var (certificate, key) = _certificates.WritePem(_certificates.Server(notAfter: notAfter, commonName: "soon"), "soon");
        var file = new CertificateFile { Path = certificate, KeyPath = key };
        CertificateLoader.Load(file, Setting);
        var error = Assert.Throws<TlsConfigurationException>(() => CertificateLoader.Load(file, Setting, new FixedClock(notAfter.AddDays(1))));
        Assert.Contains("expired on", error.Message);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
