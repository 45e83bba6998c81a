using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace Zones.Tests.Acme;

/// <summary>A TLS handshake alone, as a validator or a browser begins one: a server name, one ALPN protocol, and any certificate accepted (the test looks at it).</summary>
internal static class AlpnHandshake
{
    public static async Task<SslStream> ConnectAsync(int port, string host, string protocol = "http/1.1")
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                ApplicationProtocols = [new SslApplicationProtocol(protocol)],
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }, timeout.Token);
            return stream;
        }
        catch
        {
            await stream.DisposeAsync(); // a refused handshake must not leave its socket behind
            throw;
        }
    }
}
