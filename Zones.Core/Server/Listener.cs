using System.Net;
using System.Net.Sockets;
using Zones.Tls;

namespace Zones.Server;

/// <summary>A bound listening socket, and for an https:// URL the TLS its connections speak.</summary>
internal sealed class Listener(Socket socket, TlsListener? tls) : IDisposable
{
    public Socket Socket { get; } = socket;

    /// <summary>Null for plain HTTP.</summary>
    public TlsListener? Tls { get; } = tls;

    // Read once while the socket is open: the accept loop's log line and ZoneServer.Urls still
    // need them after the stop has closed it.
    public IPEndPoint EndPoint { get; } = (IPEndPoint)socket.LocalEndPoint!;

    public string Url => ListenAddress.Format(EndPoint, Tls is not null);

    /// <summary>Binds every endpoint of <paramref name="url"/>; the message of a failure says what to do.</summary>
    public static IEnumerable<Listener> Bind(string url, TlsListener? tls)
    {
        foreach (var endPoint in ListenAddress.Parse(url))
        {
            var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (endPoint.Address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            try
            {
                socket.Bind(endPoint);
                socket.Listen(512);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                throw new IOException($"Cannot listen on {url}: {e.Message}. Is another program using the port? Pick another with --urls.", e);
            }
            yield return new Listener(socket, tls);
        }
    }

    public void Dispose() => Socket.Dispose();
}
