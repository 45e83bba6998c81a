using System.Diagnostics;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Tls;

/// <summary>
/// A certificate's handshake context (its chain, built against the system trust store: ~100 ms
/// of CPU) is built in the background once the server is serving — at its first TLS connection
/// or its first heartbeat — not during the start, where it took a core from the first responses.
/// </summary>
public sealed class CertificatePreparationTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task The_start_leaves_it_and_the_first_tls_connection_begins_it()
    {
        var started = Stopwatch.StartNew();
        await using var server = await TlsServer.StartAsync(_certificates);
        var preparingAfterStart = server.Server.CertificatesPreparing;
        // The heartbeat begins it a second after the start: only a start quicker than that shows the start left it.
        if (started.Elapsed < TimeSpan.FromMilliseconds(800)) Assert.False(preparingAfterStart, "the start built the handshake contexts");

        using var client = TlsServer.Client(server, _certificates);
        Assert.StartsWith("https=True", await client.GetStringAsync("/"));
        Assert.True(server.Server.CertificatesPreparing);
    }

    [Fact]
    public async Task Without_a_tls_connection_the_first_heartbeat_begins_it()
    {
        await using var server = await TlsServer.StartAsync(_certificates);
        await Wait.UntilAsync(() => server.Server.CertificatesPreparing, "the heartbeat's preparation of the certificates");
    }
}
