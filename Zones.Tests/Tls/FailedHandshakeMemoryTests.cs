using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Tls;

/// <summary>
/// Failed handshakes leave nothing behind. Measured on the whole heap, so it runs alone
/// (beside another test's downloads a 2 MiB bound meant nothing).
/// </summary>
[Collection(nameof(AllocationSensitive))]
public sealed class FailedHandshakeMemoryTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task A_thousand_failed_handshakes_leave_the_server_as_it_was()
    {
        await using var server = await TlsServer.StartAsync(_certificates);
        async Task FailAsync()
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, server.Port);
            await socket.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), SocketFlags.None); // plain HTTP to a TLS port
            var buffer = new byte[256];
            try { while (await socket.ReceiveAsync(buffer, SocketFlags.None) > 0) { } } catch (SocketException) { }
        }
        for (var i = 0; i < 100; i++) await FailAsync(); // warm up
        var before = Heap.AfterCollection();
        for (var i = 0; i < 1000; i++) await FailAsync();
        await Wait.UntilAsync(() => server.Server.ConnectionCount == 0, "the failed connections to close");
        var growth = Heap.AfterCollection() - before;
        Assert.True(growth < 2 * 1024 * 1024, $"1,000 failed handshakes left {growth / 1024} KiB more managed memory");
        using var client = TlsServer.Client(server, _certificates);
        Assert.StartsWith("https=True", await client.GetStringAsync("/"));
        Assert.DoesNotContain(server.Logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.True(server.Logs.Entries.Count(e => e.Message.Contains("TLS handshake failed")) >= 1000);
    }
}
