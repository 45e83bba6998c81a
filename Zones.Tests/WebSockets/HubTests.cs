using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Zones.Handlers.WebSockets;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.WebSockets;

/// <summary>The hub: broadcasts by endpoint and group, a client that stops reading, shutdown.</summary>
public sealed class HubTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static Task<WebSocketTestServer> StartAsync(Action<WebSocketZoneOptions>? configure = null) =>
        WebSocketTestServer.StartAsync(configure, s => s.AddWebSocketEndpoint<RecordingEndpoint>("recording"), "recording");

    private static async Task<ClientWebSocket> ConnectAsync(WebSocketTestServer server)
    {
        var client = new ClientWebSocket();
        using var cts = new CancellationTokenSource(Timeout);
        await client.ConnectAsync(server.WsUri(), cts.Token);
        return client;
    }

    private static async Task<string> ReceiveTextAsync(WebSocket client)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var data = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            var result = await client.ReceiveAsync(buffer, cts.Token);
            data.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) return Encoding.UTF8.GetString(data.ToArray());
        }
    }

    /// <summary>Waits until the endpoint has seen <paramref name="count"/> connections, so the hub knows them.</summary>
    private static async Task<List<WebSocketConnection>> ConnectionsAsync(WebSocketTestServer server, int count)
    {
        var endpoint = server.Services.GetRequiredService<RecordingEndpoint>();
        var deadline = DateTime.UtcNow + Timeout;
        while (endpoint.Connected.Count < count && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal(count, endpoint.Connected.Count);
        return [.. endpoint.Connected];
    }

    [Fact]
    public async Task A_broadcast_reaches_every_connection_of_the_endpoint_except_the_one_left_out()
    {
        await using var server = await StartAsync();
        // One at a time, so each server-side connection is known to belong to its client.
        var clients = new List<ClientWebSocket>();
        var connections = new List<WebSocketConnection>();
        for (var i = 0; i < 3; i++)
        {
            clients.Add(await ConnectAsync(server));
            connections.Add((await ConnectionsAsync(server, i + 1)).Except(connections).Single());
        }
        Assert.Equal(3, server.Hub.GetConnections("recording").Count);

        Assert.Equal(3, server.Hub.BroadcastText("recording", "to all"));
        foreach (var client in clients) Assert.Equal("to all", await ReceiveTextAsync(client));

        Assert.Equal(2, server.Hub.BroadcastText("recording", "not you", except: connections[0]));
        Assert.Equal(0, server.Hub.BroadcastText("no-such-endpoint", "nobody"));
        Assert.Equal(3, server.Hub.BroadcastText("recording", "all again"));
        // Each connection's messages arrive in order, so the one left out sees "all again" next.
        Assert.Equal("all again", await ReceiveTextAsync(clients[0]));
        foreach (var client in clients.Skip(1))
        {
            Assert.Equal("not you", await ReceiveTextAsync(client));
            Assert.Equal("all again", await ReceiveTextAsync(client));
        }
        foreach (var client in clients) client.Dispose();
    }

    [Fact]
    public async Task Groups_receive_only_their_members_messages_and_a_closed_connection_leaves_its_groups()
    {
        await using var server = await StartAsync();
        // One at a time, so each server-side connection is known to belong to its client.
        using var a = await ConnectAsync(server);
        var ca = (await ConnectionsAsync(server, 1))[0];
        using var b = await ConnectAsync(server);
        var cb = (await ConnectionsAsync(server, 2)).Single(c => c != ca);
        var hub = server.Hub;

        Assert.True(hub.AddToGroup(ca, "room1"));
        Assert.False(hub.AddToGroup(ca, "room1"));
        Assert.True(hub.AddToGroup(cb, "room2"));
        Assert.Equal(["room1"], ca.Groups);

        Assert.Equal(1, hub.SendTextToGroup("room1", "for room1"));
        Assert.Equal(1, hub.SendTextToGroup("room2", "for room2"));
        Assert.Equal(2, hub.BroadcastText("recording", "for all"));
        // Each socket's messages arrive in order: its room's message, then the broadcast, and
        // nothing from the other room in between.
        Assert.Equal("for room1", await ReceiveTextAsync(a));
        Assert.Equal("for all", await ReceiveTextAsync(a));
        Assert.Equal("for room2", await ReceiveTextAsync(b));
        Assert.Equal("for all", await ReceiveTextAsync(b));

        Assert.True(hub.RemoveFromGroup(ca, "room1"));
        Assert.Empty(hub.GetGroup("room1"));

        Assert.True(hub.AddToGroup(cb, "room1"));
        using var cts = new CancellationTokenSource(Timeout);
        await b.CloseAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
        await server.Services.GetRequiredService<RecordingEndpoint>().WaitClosedAsync(cb.Id);
        Assert.Empty(hub.GetGroup("room1"));
        Assert.Empty(hub.GetGroup("room2"));
        Assert.False(hub.AddToGroup(cb, "room3")); // a closed connection joins nothing
    }

    [Fact]
    public async Task A_client_that_never_reads_is_closed_with_1008_while_the_others_keep_receiving()
    {
        await using var server = await StartAsync(o =>
        {
            o.SendQueueLimit = 4;
            o.CloseTimeout = TimeSpan.FromSeconds(2);
        });
        var endpoint = server.Services.GetRequiredService<RecordingEndpoint>();
        var readers = new List<ClientWebSocket>();
        for (var i = 0; i < 3; i++) readers.Add(await ConnectAsync(server));
        // Known before the stalled client connects: the endpoint may see connections in another order than they were made.
        var readerConnections = await ConnectionsAsync(server, 3);

        // A raw client with a tiny receive window that completes the handshake and then never reads.
        var stalled = await RawWebSocket.SendHandshakeAsync(server.Port, RawWebSocket.BuildHandshake(), s => s.ReceiveBufferSize = 4096);
        await using var _ = stalled;
        Assert.Equal(101, stalled.Status);
        var stalledConnection = (await ConnectionsAsync(server, 4)).Except(readerConnections).Single();

        var message = new byte[256 * 1024];
        Array.Fill(message, (byte)'z');
        const int Rounds = 60;
        var buffer = new byte[64 * 1024];
        for (var round = 0; round < Rounds; round++)
        {
            message[0] = (byte)('A' + round % 26);
            server.Hub.Broadcast("recording", WebSocketMessageType.Binary, message.ToArray());
            // Every reader gets each broadcast whole, whatever the stalled client does.
            foreach (var reader in readers)
            {
                using var cts = new CancellationTokenSource(Timeout);
                var received = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await reader.ReceiveAsync(buffer.AsMemory(), cts.Token);
                    if (received == 0) Assert.Equal(message[0], buffer[0]);
                    received += result.Count;
                } while (!result.EndOfMessage);
                Assert.Equal(message.Length, received);
            }
        }

        var (status, description) = await endpoint.WaitClosedAsync(stalledConnection.Id, seconds: 30);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Contains("not reading", description);
        Assert.DoesNotContain(stalledConnection, server.Hub.GetConnections("recording"));
        Assert.Equal(3, server.Hub.GetConnections("recording").Count);
        Assert.True(await stalled.WaitForEndAsync(Timeout), "the stalled client's connection should be cut");
        foreach (var reader in readers) reader.Dispose();
    }

    [Fact]
    public async Task Server_shutdown_closes_every_WebSocket_with_1001()
    {
        var server = await StartAsync();
        await using var __ = server;
        using var first = await ConnectAsync(server);
        using var second = await ConnectAsync(server);
        await ConnectionsAsync(server, 2);

        var stopping = server.Server.Server.StopAsync();
        foreach (var client in new[] { first, second })
        {
            using var cts = new CancellationTokenSource(Timeout);
            var result = await client.ReceiveAsync(new byte[16], cts.Token);
            Assert.Equal(WebSocketMessageType.Close, result.MessageType);
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.CloseStatus);
            await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
        }
        await stopping.WaitAsync(Timeout);
        Assert.Equal(0, server.Server.Server.ConnectionCount);
        var endpoint = server.Services.GetRequiredService<RecordingEndpoint>();
        foreach (var connection in endpoint.Connected)
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, (await endpoint.WaitClosedAsync(connection.Id)).Status);
    }

    [Fact]
    public async Task Stopping_one_of_two_servers_sharing_a_hub_closes_only_its_own_WebSockets()
    {
        // The hub closes a stopping server's connections through one registration on its stop
        // signal: a second server using the same services (and hub) must not be touched by it.
        var server = await StartAsync();
        await using var __ = server;
        var options = new WebSocketZoneOptions { Endpoint = "recording" };
        await using var other = await TestServer.StartAsync([WebSocketTestServer.Zone("/ws", options, server.Services)], null, server.Services);
        using var leaving = await ConnectAsync(server);
        using var staying = new ClientWebSocket();
        using (var cts = new CancellationTokenSource(Timeout)) await staying.ConnectAsync(new Uri($"ws://127.0.0.1:{other.Port}/ws"), cts.Token);
        await ConnectionsAsync(server, 2);

        var stopping = server.Server.Server.StopAsync();
        using (var cts = new CancellationTokenSource(Timeout))
        {
            var result = await leaving.ReceiveAsync(new byte[16], cts.Token);
            Assert.Equal(WebSocketMessageType.Close, result.MessageType);
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, leaving.CloseStatus);
            await leaving.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
        }
        await stopping.WaitAsync(Timeout);

        // The other server's WebSocket is still open and still answered.
        Assert.Equal(WebSocketState.Open, staying.State);
        Assert.Single(server.Hub.GetConnections("recording"));
        using (var cts = new CancellationTokenSource(Timeout))
            await staying.SendAsync("still here"u8.ToArray(), WebSocketMessageType.Text, true, cts.Token);
        var endpoint = server.Services.GetRequiredService<RecordingEndpoint>();
        var deadline = DateTime.UtcNow + Timeout;
        while (!endpoint.Messages.Any(m => m.Length == "still here".Length) && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Contains(endpoint.Messages, m => m.Length == "still here".Length);
    }
}
