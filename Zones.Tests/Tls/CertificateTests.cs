using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Zones.Tests.Infrastructure;
using Zones.Tls;

namespace Zones.Tests.Tls;

/// <summary>Certificates from files: SNI, hot reload (files and symbolic links swapped), and clear refusals of bad files.</summary>
public sealed class CertificateTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    private static string SubjectOf(System.Net.Security.SslStream stream) => stream.RemoteCertificate!.Subject;

    [Fact]
    public async Task Sni_picks_the_exact_name_then_the_wildcard_and_the_default_for_anything_else()
    {
        var (defaultCert, defaultKey) = _certificates.WritePem(_certificates.Server(["default.test"]), "default");
        var (exactCert, exactKey) = _certificates.WritePem(_certificates.Server(["api.example.test"]), "exact");
        var (wildCert, wildKey) = _certificates.WritePem(_certificates.Server(["*.example.test"], commonName: "wildcard.example.test"), "wild");
        await using var server = await TestServer.StartAsync([TlsServer.Echo], o =>
        {
            o.Urls = ["https://127.0.0.1:0"];
            o.Tls.Certificate = new CertificateFile { Path = defaultCert, KeyPath = defaultKey };
            o.Tls.Sni["api.example.test"] = new CertificateFile { Path = exactCert, KeyPath = exactKey };
            o.Tls.Sni["*.example.test"] = new CertificateFile { Path = wildCert, KeyPath = wildKey };
        });
        await using (var s = await TlsServer.HandshakeAsync(server.Port, _certificates, "api.example.test")) Assert.Equal("CN=api.example.test", SubjectOf(s));
        await using (var s = await TlsServer.HandshakeAsync(server.Port, _certificates, "WWW.Example.Test")) Assert.Equal("CN=wildcard.example.test", SubjectOf(s));
        await using (var s = await TlsServer.HandshakeAsync(server.Port, _certificates, "localhost")) Assert.Equal("CN=default.test", SubjectOf(s));

        // The wildcard covers one label only; openssl sees the same choices.
        var openssl = Requires.Tool("openssl", "apt-get install openssl");
        var (_, deep) = await HttpsTests.RunAsync(openssl, $"s_client -connect 127.0.0.1:{server.Port} -servername a.b.example.test", stdin: "");
        Assert.Contains("subject=CN = default.test", deep);
        var (_, wild) = await HttpsTests.RunAsync(openssl, $"s_client -connect 127.0.0.1:{server.Port} -servername shop.example.test", stdin: "");
        Assert.Contains("subject=CN = wildcard.example.test", wild);
    }

    [Fact]
    public async Task A_renewed_certificate_is_used_for_new_handshakes_while_an_open_connection_keeps_going()
    {
        var (certificate, key) = _certificates.WritePem(_certificates.Server(commonName: "first"), "server");
        var connectionId = TestServer.Zone("/", c => ZoneResult.Respond(ZoneResponse.Text(c.Request.ConnectionId.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        await using var server = await TestServer.StartAsync([connectionId], o =>
        {
            o.Urls = ["https://127.0.0.1:0"];
            o.Tls.Certificate = new CertificateFile { Path = certificate, KeyPath = key };
            o.Tls.ReloadCheckInterval = TimeSpan.FromMilliseconds(200);
        });
        using var client = TlsServer.Client(server, _certificates);
        var first = await client.GetStringAsync("/");
        await using (var s = await TlsServer.HandshakeAsync(server.Port, _certificates)) Assert.Equal("CN=first", SubjectOf(s));

        // Renewed in place, as certbot's deploy hook or a copy would.
        var (newCertificate, newKey) = _certificates.WritePem(_certificates.Server(commonName: "second"), "renewed");
        File.Copy(newCertificate, certificate, overwrite: true);
        File.Copy(newKey, key, overwrite: true);
        await server.Logs.WaitForAsync(e => e.Message.Contains("Reloaded Server:Tls:Certificate: CN=second"));
        await using (var s = await TlsServer.HandshakeAsync(server.Port, _certificates)) Assert.Equal("CN=second", SubjectOf(s));
        Assert.Equal(first, await client.GetStringAsync("/still")); // the same keep-alive connection, still working
    }

    [Fact]
    public async Task A_symbolic_link_swapped_to_a_new_pair_is_followed_as_kubernetes_and_certbot_swap_them()
    {
        Requires.Linux("symbolic links");
        var (firstCert, _) = _certificates.WritePem(_certificates.Server(commonName: "first"), "first");
        var (secondCert, _) = _certificates.WritePem(_certificates.Server(commonName: "second"), "second");
        // Kubernetes: tls.crt → ..data/tls.crt, ..data → a timestamped folder, swapped by renaming a new link over ..data.
        var secret = Path.Combine(_certificates.Folder, "secret");
        Directory.CreateDirectory(secret);
        Directory.CreateSymbolicLink(Path.Combine(secret, "..data"), Path.GetDirectoryName(firstCert)!);
        File.CreateSymbolicLink(Path.Combine(secret, "tls.crt"), Path.Combine("..data", "cert.pem"));
        File.CreateSymbolicLink(Path.Combine(secret, "tls.key"), Path.Combine("..data", "key.pem"));
        await using var server = await TestServer.StartAsync([TlsServer.Echo], o =>
        {
            o.Urls = ["https://127.0.0.1:0"];
            o.Tls.Certificate = new CertificateFile { Path = Path.Combine(secret, "tls.crt"), KeyPath = Path.Combine(secret, "tls.key") };
            o.Tls.ReloadCheckInterval = TimeSpan.FromMilliseconds(200);
        });
        await using (var s = await TlsServer.HandshakeAsync(server.Port, _certificates)) Assert.Equal("CN=first", SubjectOf(s));

        var swap = Path.Combine(secret, "..data_tmp");
        Directory.CreateSymbolicLink(swap, Path.GetDirectoryName(secondCert)!);
        // rename(2) over the old link: atomic, as the kubelet does.
        var (exit, output) = await HttpsTests.RunAsync("mv", $"-Tf {swap} {Path.Combine(secret, "..data")}");
        Assert.True(exit == 0, output);
        await server.Logs.WaitForAsync(e => e.Message.Contains("CN=second"));
        await using (var s = await TlsServer.HandshakeAsync(server.Port, _certificates)) Assert.Equal("CN=second", SubjectOf(s));
    }

    [Fact]
    public async Task A_broken_new_certificate_is_logged_and_the_old_one_stays_in_use()
    {
        var (certificate, key) = _certificates.WritePem(_certificates.Server(commonName: "good"), "server");
        await using var server = await TestServer.StartAsync([TlsServer.Echo], o =>
        {
            o.Urls = ["https://127.0.0.1:0"];
            o.Tls.Certificate = new CertificateFile { Path = certificate, KeyPath = key };
            o.Tls.ReloadCheckInterval = TimeSpan.FromMilliseconds(200);
        });
        // A new certificate whose key did not come along: they do not match.
        var (other, _) = _certificates.WritePem(_certificates.Server(commonName: "mismatched"), "other");
        File.Copy(other, certificate, overwrite: true);
        var refused = await server.Logs.WaitForAsync(e => e.Message.Contains("the changed one is refused"));
        Assert.Equal(LogLevel.Error, refused.Level);
        Assert.Contains(certificate, refused.Message);
        await using (var s = await TlsServer.HandshakeAsync(server.Port, _certificates)) Assert.Equal("CN=good", SubjectOf(s));
        await Task.Delay(600); // three more checks of the same broken file
        Assert.Single(server.Logs.Entries, e => e.Message.Contains("the changed one is refused")); // said once, not every check
    }

    [Fact]
    public void Pkcs12_files_load_with_their_password_and_refuse_a_wrong_one()
    {
        var pfx = _certificates.WritePfx(_certificates.Server(commonName: "pfx"), "site", "s3cret");
        var loaded = CertificateLoader.Load(new CertificateFile { Path = pfx, Password = "s3cret" }, "Server:Tls:Certificate");
        Assert.Equal("CN=pfx", loaded.Leaf.Subject);
        var wrong = Assert.Throws<TlsConfigurationException>(() => CertificateLoader.Load(new CertificateFile { Path = pfx, Password = "nope" }, "Server:Tls:Certificate"));
        Assert.StartsWith("Server:Tls:Certificate: " + pfx + " cannot be opened", wrong.Message);
        Assert.Contains("\"Password\"", wrong.Message);
    }

    [Fact]
    public void Rsa_and_ecdsa_keys_in_pem_both_load_with_their_chain()
    {
        foreach (var rsa in new[] { true, false })
        {
            var (certificate, key) = _certificates.WritePem(_certificates.Server(rsa: rsa, commonName: rsa ? "rsa" : "ec"), rsa ? "rsa" : "ec");
            var loaded = CertificateLoader.Load(new CertificateFile { Path = certificate, KeyPath = key }, "Server:Tls:Certificate");
            Assert.True(loaded.Leaf.HasPrivateKey);
            Assert.Equal(rsa ? "CN=rsa" : "CN=ec", loaded.Leaf.Subject);
        }
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("mismatched key")]
    [InlineData("expired")]
    [InlineData("no key")]
    public void A_certificate_that_cannot_serve_is_refused_with_the_file_and_the_fix(string fault)
    {
        var (certificate, key) = _certificates.WritePem(_certificates.Server(), "server");
        CertificateFile file;
        string expected;
        switch (fault)
        {
            case "missing":
                file = new CertificateFile { Path = certificate + ".gone", KeyPath = key };
                expected = $"Server:Tls:Certificate: {certificate}.gone does not exist; fix the path";
                break;
            case "mismatched key":
                var (_, otherKey) = _certificates.WritePem(_certificates.Server(), "other");
                file = new CertificateFile { Path = certificate, KeyPath = otherKey };
                expected = "the key must be the certificate's own";
                break;
            case "expired":
                var (old, oldKey) = _certificates.WritePem(_certificates.Server(notAfter: DateTimeOffset.UtcNow.AddHours(-1)), "old");
                file = new CertificateFile { Path = old, KeyPath = oldKey };
                expected = "expired on";
                break;
            default:
                file = new CertificateFile { Path = certificate };
                expected = "cannot be used";
                break;
        }
        var error = Assert.Throws<TlsConfigurationException>(() => CertificateLoader.Load(file, "Server:Tls:Certificate"));
        Assert.Contains(expected, error.Message);
        Assert.StartsWith("Server:Tls:Certificate: ", error.Message);
    }

    [Fact]
    public void A_bad_sni_key_is_refused()
    {
        var (certificate, key) = _certificates.WritePem(_certificates.Server(), "server");
        var options = new TlsOptions { Sni = { ["*.*.example.com"] = new CertificateFile { Path = certificate, KeyPath = key } } };
        var error = Assert.Throws<TlsConfigurationException>(() => new ServerCertificates(options, NullLogger.Instance));
        Assert.Contains("\"*.*.example.com\" must be a host name", error.Message);
    }
}
