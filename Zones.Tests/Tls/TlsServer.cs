using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Zones.Server;
using Zones.Tests.Infrastructure;
using Zones.Tls;

namespace Zones.Tests.Tls;

/// <summary>Starts a real server with an https:// listener (and optionally a plain one) on certificates from <see cref="TestCertificates"/>.</summary>
public static class TlsServer
{
    /// <summary>Echoes what the handler saw of the connection: "https=True client=CN=…".</summary>
    public static readonly Zone Echo = TestServer.Zone("/", c => ZoneResult.Respond(ZoneResponse.Text(
        $"https={c.Request.IsHttps} client={c.Request.ClientCertificate?.Subject ?? "-"} host={c.Request.Host}")));

    public static Task<TestServer> StartAsync(TestCertificates certificates, Action<ServerOptions>? configure = null, params Zone[] zones)
    {
        var (certificate, key) = certificates.WritePem(certificates.Server(), "server");
        return TestServer.StartAsync(zones.Length > 0 ? zones : [Echo], o =>
        {
            o.Urls = ["https://127.0.0.1:0"];
            o.Tls.Certificate = new CertificateFile { Path = certificate, KeyPath = key };
            configure?.Invoke(o);
        });
    }

    /// <summary>An HttpClient that trusts exactly the test authority (and sends <paramref name="client"/> when given).</summary>
    public static HttpClient Client(TestServer server, TestCertificates certificates, System.Security.Cryptography.X509Certificates.X509Certificate2? client = null)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, c, _, _) => certificates.Trusts(c),
                ClientCertificates = client is null ? null : [client],
            },
        };
        return new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>A raw TLS client: the handshake alone, with the name it asks for (SNI).</summary>
    public static async Task<SslStream> HandshakeAsync(int port, TestCertificates certificates, string? serverName = "localhost", SslProtocols protocols = SslProtocols.None, System.Security.Cryptography.X509Certificates.X509Certificate2? client = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, port);
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            EnabledSslProtocols = protocols,
            RemoteCertificateValidationCallback = (_, c, _, _) => certificates.Trusts(c),
            ClientCertificates = client is null ? null : [client],
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        }, timeout.Token);
        return stream;
    }
}
