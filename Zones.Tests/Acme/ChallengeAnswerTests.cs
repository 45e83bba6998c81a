using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Zones.Acme;
using Zones.Handlers;
using Zones.Tests.Infrastructure;
using Zones.Tests.Tls;

namespace Zones.Tests.Acme;

/// <summary>How the listeners answer challenges, without a CA: the http-01 zone ahead of the site's, and tls-alpn-01 on the TLS listener.</summary>
public sealed class ChallengeAnswerTests : IDisposable
{
    private const string Domain = "zones.example.com";
    private readonly string _cache = Directory.CreateTempSubdirectory("zones-acme-answer-").FullName;

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    /// <summary>A server whose CA is unreachable (it keeps its fallback), with an httpsredirect over the whole site.</summary>
    private Task<TestServer> StartAsync() => TestServer.StartAsync(
        [new Zone("/", new HttpsRedirectHandler(new HttpsRedirectOptions())), TlsServer.Echo],
        o =>
        {
            o.Urls = ["http://127.0.0.1:0", "https://127.0.0.1:0"];
            o.Tls.Acme = new AcmeOptions
            {
                Directory = $"https://127.0.0.1:{Pebble.FreeTcpPort()}/dir",
                Domains = [Domain],
                AcceptTermsOfService = true,
                CacheFolder = _cache,
                RetryDelay = TimeSpan.FromMinutes(10),
            };
        });

    [Fact]
    public async Task The_http01_zone_answers_its_own_tokens_ahead_of_httpsredirect_and_passes_everything_else()
    {
        await using var server = await StartAsync();
        var challenges = server.Server.Acme!.Challenges;
        challenges.AddHttp01("token-1", "token-1.thumbprint");
        using var client = server.CreateClient(new SocketsHttpHandler { AllowAutoRedirect = false });

        using var answer = await client.GetAsync("/.well-known/acme-challenge/token-1");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("token-1.thumbprint", await answer.Content.ReadAsStringAsync());
        Assert.Equal("application/octet-stream", answer.Content.Headers.ContentType?.MediaType);
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/.well-known/acme-challenge/token-1"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(18, head.Content.Headers.ContentLength);

        // Not ours, not a GET, or withdrawn: the site's zones decide (here, the redirect).
        Assert.Equal(HttpStatusCode.PermanentRedirect, (await client.GetAsync("/.well-known/acme-challenge/token-2")).StatusCode);
        Assert.Equal(HttpStatusCode.PermanentRedirect, (await client.GetAsync("/.well-known/acme-challenge/")).StatusCode);
        Assert.Equal(HttpStatusCode.PermanentRedirect, (await client.PostAsync("/.well-known/acme-challenge/token-1", new StringContent(""))).StatusCode);
        challenges.RemoveHttp01("token-1");
        Assert.Equal(HttpStatusCode.PermanentRedirect, (await client.GetAsync("/.well-known/acme-challenge/token-1")).StatusCode);
    }

    [Fact]
    public async Task An_acme_tls_1_client_gets_the_challenge_certificate_and_nothing_after_the_handshake()
    {
        await using var server = await StartAsync();
        var port = server.Server.EndPoints[1].Port;
        server.Server.Acme!.Challenges.AddTlsAlpn01(Domain, "token-1.thumbprint");

        await using (var validator = await AlpnHandshake.ConnectAsync(port, Domain, "acme-tls/1"))
        {
            Assert.Equal("acme-tls/1", validator.NegotiatedApplicationProtocol.ToString());
            var certificate = (X509Certificate2)validator.RemoteCertificate!;
            var extension = Assert.Single(certificate.Extensions, e => e.Oid?.Value == TlsAlpnCertificate.AcmeIdentifierOid);
            Assert.Equal(TlsAlpnCertificate.ExtensionValue("token-1.thumbprint"), extension.RawData);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            Assert.Equal(0, await validator.ReadAsync(new byte[16], timeout.Token)); // the server closed
        }

        // A browser, at the same time, gets the site's certificate (here the fallback) and HTTP.
        await using (var browser = await AlpnHandshake.ConnectAsync(port, Domain, "http/1.1"))
        {
            var certificate = (X509Certificate2)browser.RemoteCertificate!;
            Assert.DoesNotContain(certificate.Extensions.Cast<X509Extension>(), e => e.Oid?.Value == TlsAlpnCertificate.AcmeIdentifierOid);
            Assert.Equal(server.Server.Acme.Current.Leaf.Thumbprint, certificate.Thumbprint);
        }
        // acme-tls/1 for a name with no challenge pending: no certificate at all.
        await Assert.ThrowsAnyAsync<Exception>(() => AlpnHandshake.ConnectAsync(port, "other.example.com", "acme-tls/1"));
        server.Server.Acme.Challenges.RemoveTlsAlpn01(Domain);
        await Assert.ThrowsAnyAsync<Exception>(() => AlpnHandshake.ConnectAsync(port, Domain, "acme-tls/1"));
    }

    [Fact]
    public async Task A_TLS_listener_that_reads_hellos_ahead_still_closes_garbage_quietly_and_serves_the_next_client()
    {
        await using var server = await StartAsync();
        var port = server.Server.EndPoints[1].Port;
        using (var garbage = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await garbage.ConnectAsync(IPAddress.Loopback, port);
            await garbage.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
            var buffer = new byte[256];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            // SslStream refuses it (with an alert, or by closing); either way the connection ends.
            while (await garbage.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0) { }
        }
        await server.Logs.WaitForAsync(e => e.Message.Contains("TLS handshake failed", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
        await using var next = await AlpnHandshake.ConnectAsync(port, Domain, "http/1.1");
        Assert.Equal("http/1.1", next.NegotiatedApplicationProtocol.ToString());
    }
}
