using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Zones.Acme;
using Zones.Handlers;
using Zones.Tests.Infrastructure;
using Zones.Tests.Tls;

namespace Zones.Tests.Acme;

/// <summary>
/// Server:Tls:Acme against a real Pebble: certificates obtained over http-01 and over
/// tls-alpn-01, served to clients that trust only Pebble's root, renewed while a connection
/// stays open, reused from CacheFolder after a restart, and a CA that is down at start.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PebbleTests : IDisposable
{
    private const string Domain = "zones.example.com";
    private const string Www = "www.zones.example.com";
    private readonly string _cache = Directory.CreateTempSubdirectory("zones-acme-").FullName;

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    [Fact(Timeout = 90_000)]
    public async Task A_certificate_is_obtained_over_http01_ahead_of_httpsredirect_and_served_with_a_chain_to_Pebbles_root()
    {
        await using var pebble = new Pebble();
        await using var zones = await StartZonesAsync(pebble, ["http://127.0.0.1:0", "https://127.0.0.1:0"], a => a.Challenges = [AcmeOptions.Http01]);
        await pebble.StartAsync(httpPort: zones.Server.EndPoints[0].Port, tlsPort: zones.Server.EndPoints[1].Port);

        var issued = await ObtainedAsync(zones);
        var root = await pebble.RootAsync();

        foreach (var name in new[] { Domain, Www })
        {
            var (body, certificate) = await GetAsync(zones.Server.EndPoints[1].Port, name, root);
            Assert.Equal($"https=True client=- host={name}:{zones.Server.EndPoints[1].Port}", body);
            Assert.Equal(issued.Leaf.Thumbprint, certificate.Thumbprint);
        }
        // The CA fetched the token over plain HTTP, where every other request is redirected.
        Assert.Contains(zones.Logs.For("Zones.Access"), e => e.Message.Contains("\"GET /.well-known/acme-challenge/", StringComparison.Ordinal) && e.Message.Contains("\" 200 ", StringComparison.Ordinal));
        using var plain = zones.CreateClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.PermanentRedirect, (await plain.GetAsync("/.well-known/acme-challenge/not-ours")).StatusCode);
        Assert.Contains(zones.Logs.Entries, e => e.Message.StartsWith($"ACME: ordering a certificate for {Domain}, {Www} from {pebble.DirectoryUrl} (challenges: http-01)", StringComparison.Ordinal));
        AssertCacheFiles(zones.Server.Acme!);
    }

    [Fact(Timeout = 90_000)]
    public async Task A_certificate_is_obtained_over_tls_alpn_01_with_no_plain_listener()
    {
        await using var pebble = new Pebble();
        await using var zones = await StartZonesAsync(pebble, ["https://127.0.0.1:0"]);
        await pebble.StartAsync(httpPort: Pebble.FreeTcpPort(), tlsPort: zones.Server.EndPoints[0].Port);

        var issued = await ObtainedAsync(zones);
        var root = await pebble.RootAsync();

        var (_, certificate) = await GetAsync(zones.Server.EndPoints[0].Port, Domain, root);
        Assert.Equal(issued.Leaf.Thumbprint, certificate.Thumbprint);
        Assert.Contains(zones.Logs.Entries, e => e.Message.Contains("(challenges: tls-alpn-01)", StringComparison.Ordinal));
        Assert.Contains(zones.Logs.Entries, e => e.Message.Contains($"answered the tls-alpn-01 challenge for {Domain}", StringComparison.Ordinal));
        // Outside a challenge, an acme-tls/1 client gets no certificate at all.
        await Assert.ThrowsAnyAsync<Exception>(() => AlpnHandshake.ConnectAsync(zones.Server.EndPoints[0].Port, Domain, "acme-tls/1"));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_certificate_is_renewed_in_the_background_and_an_open_keep_alive_connection_keeps_going()
    {
        await using var pebble = new Pebble();
        // A minute's certificates, renewed when 90% of the lifetime is left: six seconds after issue.
        await using var zones = await StartZonesAsync(pebble, ["http://127.0.0.1:0", "https://127.0.0.1:0"], a => a.RenewWhenRemaining = 0.9);
        await pebble.StartAsync(httpPort: zones.Server.EndPoints[0].Port, tlsPort: zones.Server.EndPoints[1].Port, validity: TimeSpan.FromMinutes(1));
        var port = zones.Server.EndPoints[1].Port;
        await ObtainedAsync(zones);
        var root = await pebble.RootAsync();

        // A keep-alive connection on the certificate of the moment (on a slow machine that may
        // already be a renewed one: what matters is that it is replaced while the connection lives).
        var connections = 0;
        X509Certificate2? kept = null;
        using var client = Client(port, root, () => Interlocked.Increment(ref connections), c => kept = c);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"https://{Domain}:{port}/")).StatusCode);
        var old = kept!;

        await Wait.UntilAsync(() => zones.Server.Acme!.Current.Leaf.Thumbprint != old.Thumbprint, "a renewed certificate", TimeSpan.FromSeconds(60));
        var (_, renewed) = await GetAsync(port, Domain, root);
        Assert.NotEqual(old.Thumbprint, renewed.Thumbprint);
        Assert.True(renewed.NotAfter > old.NotAfter);

        // The connection opened on the older certificate is still served, on the same socket.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"https://{Domain}:{port}/")).StatusCode);
        Assert.Equal(1, connections);
        Assert.Same(old, kept); // no second handshake on it either
        Assert.True(zones.Logs.Entries.Count(e => e.Message.StartsWith("ACME: obtained a certificate", StringComparison.Ordinal)) >= 2);
    }

    [Fact(Timeout = 90_000)]
    public async Task After_a_restart_the_cached_certificate_is_served_without_asking_the_CA()
    {
        await using var pebble = new Pebble();
        string thumbprint;
        await using (var zones = await StartZonesAsync(pebble, ["http://127.0.0.1:0", "https://127.0.0.1:0"]))
        {
            await pebble.StartAsync(httpPort: zones.Server.EndPoints[0].Port, tlsPort: zones.Server.EndPoints[1].Port);
            thumbprint = (await ObtainedAsync(zones)).Leaf.Thumbprint;
        }
        var root = await pebble.RootAsync();
        await pebble.StopAsync(); // any order now would fail, and say so

        await using var restarted = await StartZonesAsync(pebble, ["http://127.0.0.1:0", "https://127.0.0.1:0"]);
        await restarted.Logs.WaitForAsync(e => e.Message.StartsWith($"ACME: using the cached certificate for {Domain}, {Www}", StringComparison.Ordinal));
        var (_, served) = await GetAsync(restarted.Server.EndPoints[1].Port, Domain, root);

        Assert.Equal(thumbprint, served.Thumbprint);
        Assert.DoesNotContain(restarted.Logs.Entries, e => e.Message.StartsWith("ACME: ordering", StringComparison.Ordinal) || e.Level >= LogLevel.Warning);
    }

    [Fact(Timeout = 90_000)]
    public async Task With_the_CA_down_at_start_the_fallback_is_served_the_failure_logged_and_the_retry_succeeds()
    {
        await using var pebble = new Pebble();
        await using var zones = await StartZonesAsync(pebble, ["http://127.0.0.1:0", "https://127.0.0.1:0"]);
        var port = zones.Server.EndPoints[1].Port;

        var failure = await zones.Logs.WaitForAsync(e => e.Level == LogLevel.Warning && e.Category == "Zones.Acme", TimeSpan.FromSeconds(20));
        Assert.Matches($"^ACME: could not obtain a certificate for {Domain}, {Www} from {pebble.DirectoryUrl}: .*Connection refused.*; next attempt in 00:00:00\\.", failure.Message);
        await using (var fallback = await AlpnHandshake.ConnectAsync(port, Www))
        {
            var certificate = (X509Certificate2)fallback.RemoteCertificate!;
            Assert.Equal("CN=" + Domain, certificate.Subject);
            Assert.Equal(certificate.Subject, certificate.Issuer); // self-signed
        }
        Assert.True(zones.Server.Acme!.Current.IsFallback);

        await pebble.StartAsync(httpPort: zones.Server.EndPoints[0].Port, tlsPort: port);
        var issued = await ObtainedAsync(zones);
        var (_, served) = await GetAsync(port, Www, await pebble.RootAsync());
        Assert.Equal(issued.Leaf.Thumbprint, served.Thumbprint);
    }

    private Task<TestServer> StartZonesAsync(Pebble pebble, string[] urls, Action<AcmeOptions>? configure = null) =>
        TestServer.StartAsync(
            [new Zone("/", new HttpsRedirectHandler(new HttpsRedirectOptions { Port = 443 })), TlsServer.Echo],
            o =>
            {
                o.Urls = [.. urls];
                var acme = new AcmeOptions
                {
                    Directory = pebble.DirectoryUrl,
                    Email = "admin@zones.example.com",
                    Domains = [Domain, Www],
                    AcceptTermsOfService = true,
                    CacheFolder = _cache,
                    DirectoryCaCertificate = pebble.DirectoryCaCertificate,
                    RetryDelay = TimeSpan.FromMilliseconds(250),
                    MaxRetryDelay = TimeSpan.FromSeconds(1),
                };
                configure?.Invoke(acme);
                o.Tls.Acme = acme;
            });

    /// <summary>Waits for the first certificate from the CA.</summary>
    private static async Task<IssuedCertificate> ObtainedAsync(TestServer zones)
    {
        await zones.Logs.WaitForAsync(e => e.Message.StartsWith("ACME: obtained a certificate", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var current = zones.Server.Acme!.Current;
        Assert.False(current.IsFallback);
        return current;
    }

    private static void AssertCacheFiles(AcmeCertificates acme)
    {
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(ownerOnly, File.GetUnixFileMode(Path.Combine(acme.CacheFolder, "account.key")));
        Assert.Equal(ownerOnly, File.GetUnixFileMode(Path.Combine(acme.CacheFolder, "certificate.key")));
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(Path.Combine(acme.CacheFolder, "certificate.pem"));
        Assert.True(chain.Count >= 2, "the leaf and Pebble's intermediate");
        Assert.Equal(acme.Current.Leaf.Thumbprint, chain[0].Thumbprint);
    }

    /// <summary>GET / over HTTPS for <paramref name="host"/> (SNI and Host), connected to 127.0.0.1, trusting only <paramref name="root"/>.</summary>
    private static async Task<(string Body, X509Certificate2 Certificate)> GetAsync(int port, string host, X509Certificate2 root)
    {
        X509Certificate2? seen = null;
        using var http = Client(port, root, () => { }, c => seen = c);
        var body = await http.GetStringAsync($"https://{host}:{port}/");
        return (body, seen!);
    }

    private static HttpClient Client(int port, X509Certificate2 root, Action connected, Action<X509Certificate2> certificate) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            connected();
            return new NetworkStream(socket, ownsSocket: true);
        },
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = 1,
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, presented, chain, errors) =>
            {
                if (presented is null) return false;
                var leaf = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
                certificate(leaf);
                return TrustedBy(root, leaf, chain, errors);
            },
        },
    }) { Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>The name matches and the chain the server sent leads to <paramref name="root"/>, and to nothing else.</summary>
    private static bool TrustedBy(X509Certificate2 root, X509Certificate2 leaf, X509Chain? sent, SslPolicyErrors errors)
    {
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (sent is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(sent.ChainPolicy.ExtraStore);
            foreach (var element in sent.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        return chain.Build(leaf);
    }
}
