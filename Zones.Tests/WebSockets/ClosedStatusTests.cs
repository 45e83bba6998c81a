using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Zones.Handlers.WebSockets;

namespace Zones.Tests.WebSockets;

/// <summary>What OnClosedAsync is told for each way a connection can end.</summary>
public sealed class ClosedStatusTests
{
    private static async Task<(WebSocketCloseStatus Status, string? Description)> EndAsync(Func<RawWebSocket, Task> act, Action<WebSocketZoneOptions>? configure = null)
    {
        await using var server = await WebSocketTestServer.StartAsync(configure, s => s.AddWebSocketEndpoint<RecordingEndpoint>("recording"), "recording");
        var endpoint = server.Services.GetRequiredService<RecordingEndpoint>();
        await using var client = await RawWebSocket.ConnectAsync(server.Port);
        Assert.Equal(101, client.Status);
        var connection = await endpoint.FirstConnection.WaitAsync(TimeSpan.FromSeconds(20));
        await act(client);
        return await endpoint.WaitClosedAsync(connection.Id);
    }

    [Fact]
    public async Task A_protocol_error_is_reported_as_1002()
    {
        var (status, description) = await EndAsync(c => c.SendFrameAsync(0x1, "unmasked"u8.ToArray(), mask: false));
        Assert.Equal(WebSocketCloseStatus.ProtocolError, status);
        Assert.False(string.IsNullOrEmpty(description));
    }

    [Fact]
    public async Task Invalid_utf8_is_reported_as_1007()
    {
        var (status, description) = await EndAsync(c => c.SendFrameAsync(0x1, [0xff, 0xfe]));
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, status);
        Assert.False(string.IsNullOrEmpty(description));
    }

    [Fact]
    public async Task A_close_reason_that_is_not_utf8_is_reported_as_the_1002_sent_back()
    {
        // System.Net.WebSockets answers it with 1002 (RFC 6455 allows 1002 or 1007 here).
        var (status, _) = await EndAsync(c => c.SendFrameAsync(0x8, RawWebSocket.ClosePayload(1000, [0xce, 0xba, 0xed, 0xa0, 0x80])));
        Assert.Equal(WebSocketCloseStatus.ProtocolError, status);
    }

    [Fact]
    public async Task A_message_too_big_is_reported_as_1009()
    {
        var (status, description) = await EndAsync(async c =>
        {
            await c.SendFrameAsync(0x2, new byte[200]);
            await c.ReadUntilCloseAsync();
            await c.SendCloseAsync(1009);
        }, o => o.MaxMessageBytes = 100);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.Contains("100 bytes", description);
    }

    [Fact]
    public async Task A_connection_dropped_without_a_close_frame_is_reported_as_1006()
    {
        var (status, _) = await EndAsync(c =>
        {
            c.Socket.Close();
            return Task.CompletedTask;
        });
        Assert.Equal(WebSocketCloseCodes.Abnormal, (int)status);
    }

    [Fact]
    public async Task A_close_frame_without_a_code_is_reported_as_1000_as_System_Net_WebSockets_reads_it()
    {
        var (status, _) = await EndAsync(c => c.SendCloseAsync(null));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, status);
    }

    [Fact]
    public async Task An_invalid_close_code_from_the_client_is_reported_as_the_1002_sent_back()
    {
        var (status, _) = await EndAsync(c => c.SendCloseAsync(1005));
        Assert.Equal(WebSocketCloseStatus.ProtocolError, status);
    }
}
