using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Zones.Handlers.WebSockets;

namespace Zones.Tests.WebSockets;

/// <summary>.NET's own ClientWebSocket against the websocket zone: messages, sizes, fragments, subprotocols, compression, close codes.</summary>
public sealed class ClientWebSocketTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static async Task<ClientWebSocket> ConnectAsync(WebSocketTestServer server, Action<ClientWebSocketOptions>? configure = null, string path = "/ws")
    {
        var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(client.Options);
        using var cts = new CancellationTokenSource(Timeout);
        await client.ConnectAsync(server.WsUri(path), cts.Token);
        return client;
    }

    private static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveMessageAsync(WebSocket client)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var data = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await client.ReceiveAsync(buffer, cts.Token);
            data.Write(buffer, 0, result.Count);
            if (result.MessageType == WebSocketMessageType.Close) return (WebSocketMessageType.Close, []);
            if (result.EndOfMessage) return (result.MessageType, data.ToArray());
        }
    }

    private static async Task SendAsync(WebSocket client, byte[] data, WebSocketMessageType type = WebSocketMessageType.Binary)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await client.SendAsync(data, type, endOfMessage: true, cts.Token);
    }

    private static Task<WebSocketTestServer> StartRecordingAsync(Action<WebSocketZoneOptions>? configure = null) =>
        WebSocketTestServer.StartAsync(configure, s => s.AddWebSocketEndpoint<RecordingEndpoint>("recording"), "recording");

    [Fact]
    public async Task Text_and_binary_messages_are_echoed_with_their_type()
    {
        await using var server = await WebSocketTestServer.StartAsync();
        using var client = await ConnectAsync(server);
        Assert.Equal(101, (int)client.HttpStatusCode);

        await SendAsync(client, Encoding.UTF8.GetBytes("hello ✓"), WebSocketMessageType.Text);
        var text = await ReceiveMessageAsync(client);
        Assert.Equal(WebSocketMessageType.Text, text.Type);
        Assert.Equal("hello ✓", Encoding.UTF8.GetString(text.Data));

        byte[] bytes = [0, 1, 2, 255, 254];
        await SendAsync(client, bytes);
        var binary = await ReceiveMessageAsync(client);
        Assert.Equal(WebSocketMessageType.Binary, binary.Type);
        Assert.Equal(bytes, binary.Data);
    }

    [Theory]
    [InlineData(WebSocketMessageType.Binary)]
    [InlineData(WebSocketMessageType.Text)]
    public async Task A_one_megabyte_message_is_echoed_whole(WebSocketMessageType type)
    {
        await using var server = await WebSocketTestServer.StartAsync();
        using var client = await ConnectAsync(server);
        var data = new byte[1024 * 1024];
        for (var i = 0; i < data.Length; i++) data[i] = (byte)('a' + (i * 7 + i / 1000) % 26);
        await SendAsync(client, data, type);
        var echoed = await ReceiveMessageAsync(client);
        Assert.Equal(type, echoed.Type);
        Assert.Equal(data, echoed.Data);
    }

    [Fact]
    public async Task A_message_sent_in_fragments_reaches_the_endpoint_whole()
    {
        await using var server = await StartRecordingAsync();
        using var client = await ConnectAsync(server);
        var endpoint = server.Services.GetRequiredService<RecordingEndpoint>();
        using var cts = new CancellationTokenSource(Timeout);
        var parts = new[] { "frag", "men", "ted ", "message ", "κόσμε" };
        for (var i = 0; i < parts.Length; i++)
            await client.SendAsync(Encoding.UTF8.GetBytes(parts[i]), WebSocketMessageType.Text, i == parts.Length - 1, cts.Token);
        var echoed = await ReceiveMessageAsync(client);
        Assert.Equal(string.Concat(parts), Encoding.UTF8.GetString(echoed.Data));
        var received = Assert.Single(endpoint.Messages);
        Assert.Equal(Encoding.UTF8.GetByteCount(string.Concat(parts)), received.Length);
    }

    [Fact]
    public async Task The_first_subprotocol_the_client_lists_that_the_zone_speaks_is_selected()
    {
        await using var server = await WebSocketTestServer.StartAsync(o => o.SubProtocols = ["v2.chat", "v1.chat"]);
        using var client = await ConnectAsync(server, o =>
        {
            o.AddSubProtocol("v3.chat");
            o.AddSubProtocol("v1.chat");
            o.AddSubProtocol("v2.chat");
        });
        Assert.Equal("v1.chat", client.SubProtocol);

        using var plain = await ConnectAsync(server);
        Assert.Null(plain.SubProtocol);
    }

    [Fact]
    public async Task Compression_is_negotiated_and_a_one_megabyte_repetitive_message_crosses_it()
    {
        await using var server = await StartRecordingAsync(o => o.Compression = true);
        // The client's connection goes through a stream that counts what crosses the wire.
        CountingStream? wire = null;
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return wire = new CountingStream(new System.Net.Sockets.NetworkStream(socket, ownsSocket: true));
            },
        };
        using var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        client.Options.DangerousDeflateOptions = new WebSocketDeflateOptions
        {
            ClientMaxWindowBits = 12,
            ServerContextTakeover = false,
        };
        using (var connect = new CancellationTokenSource(Timeout))
            await client.ConnectAsync(server.WsUri(), new HttpMessageInvoker(handler, disposeHandler: false), connect.Token);
        Assert.NotNull(wire);
        var (readAtStart, writtenAtStart) = (wire.BytesRead, wire.BytesWritten);
        var extensions = client.HttpResponseHeaders!["Sec-WebSocket-Extensions"].Single();
        Assert.StartsWith("permessage-deflate", extensions);
        Assert.Contains("server_no_context_takeover", extensions);
        var connection = await server.Services.GetRequiredService<RecordingEndpoint>().FirstConnection.WaitAsync(Timeout);
        Assert.True(connection.IsCompressed);

        var data = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("All work and no play makes Jack a dull boy. ", 1024 * 1024 / 44 + 1)))[..(1024 * 1024)];
        for (var round = 0; round < 2; round++)
        {
            await SendAsync(client, data, WebSocketMessageType.Text);
            var echoed = await ReceiveMessageAsync(client);
            Assert.Equal(data.Length, echoed.Data.Length);
            Assert.Equal(data, echoed.Data);
        }
        // Two megabytes each way, a small fraction of that on the wire: both sides really compressed.
        var (sent, received) = (wire.BytesWritten - writtenAtStart, wire.BytesRead - readAtStart);
        Assert.True(sent < 2 * data.Length / 20, $"the client sent {sent} bytes for two {data.Length}-byte messages");
        Assert.True(received < 2 * data.Length / 20, $"the server sent {received} bytes for two {data.Length}-byte messages");
    }

    [Fact]
    public async Task Without_compression_on_the_zone_an_offer_is_not_accepted()
    {
        await using var server = await WebSocketTestServer.StartAsync();
        using var client = await ConnectAsync(server, o => o.DangerousDeflateOptions = new WebSocketDeflateOptions());
        Assert.False(client.HttpResponseHeaders!.ContainsKey("Sec-WebSocket-Extensions"));
        await SendAsync(client, "plain"u8.ToArray(), WebSocketMessageType.Text);
        Assert.Equal("plain", Encoding.UTF8.GetString((await ReceiveMessageAsync(client)).Data));
    }

    [Fact]
    public async Task A_client_close_code_and_reason_reach_the_endpoint_and_are_echoed()
    {
        await using var server = await StartRecordingAsync();
        using var client = await ConnectAsync(server);
        var endpoint = server.Services.GetRequiredService<RecordingEndpoint>();
        var connection = await endpoint.FirstConnection.WaitAsync(Timeout);
        using var cts = new CancellationTokenSource(Timeout);
        await client.CloseAsync((WebSocketCloseStatus)4000, "client leaves", cts.Token);
        Assert.Equal((WebSocketCloseStatus)4000, client.CloseStatus);
        Assert.Equal(WebSocketState.Closed, client.State);
        var (status, description) = await endpoint.WaitClosedAsync(connection.Id);
        Assert.Equal((WebSocketCloseStatus)4000, status);
        Assert.Equal("client leaves", description);
        Assert.Empty(server.Hub.GetConnections("recording"));
    }

    [Fact]
    public async Task The_server_closes_with_its_own_code_and_reason_and_the_client_completes_the_handshake()
    {
        await using var server = await StartRecordingAsync();
        using var client = await ConnectAsync(server);
        var endpoint = server.Services.GetRequiredService<RecordingEndpoint>();
        var connection = await endpoint.FirstConnection.WaitAsync(Timeout);
        await SendAsync(client, "close:4001:go away"u8.ToArray(), WebSocketMessageType.Text);
        var received = await ReceiveMessageAsync(client);
        Assert.Equal(WebSocketMessageType.Close, received.Type);
        Assert.Equal((WebSocketCloseStatus)4001, client.CloseStatus);
        Assert.Equal("go away", client.CloseStatusDescription);
        using var cts = new CancellationTokenSource(Timeout);
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
        var (status, description) = await endpoint.WaitClosedAsync(connection.Id);
        Assert.Equal((WebSocketCloseStatus)4001, status);
        Assert.Equal("go away", description);
    }

    [Fact]
    public async Task An_endpoint_that_throws_closes_its_connection_with_1011_and_others_are_unaffected()
    {
        await using var server = await StartRecordingAsync();
        using var failing = await ConnectAsync(server);
        using var other = await ConnectAsync(server);
        await SendAsync(failing, "throw"u8.ToArray(), WebSocketMessageType.Text);
        var received = await ReceiveMessageAsync(failing);
        Assert.Equal(WebSocketMessageType.Close, received.Type);
        Assert.Equal(WebSocketCloseStatus.InternalServerError, failing.CloseStatus);
        await server.Logs.WaitForAsync(e => e.Message.Contains("failed in OnMessageAsync") && e.Exception is InvalidOperationException);

        await SendAsync(other, "still here"u8.ToArray(), WebSocketMessageType.Text);
        Assert.Equal("still here", Encoding.UTF8.GetString((await ReceiveMessageAsync(other)).Data));
    }

    [Fact]
    public async Task A_peer_that_stops_answering_pings_is_closed_by_the_keep_alive_timeout()
    {
        await using var server = await StartRecordingAsync(o =>
        {
            o.KeepAliveInterval = TimeSpan.FromSeconds(1);
            o.KeepAliveTimeout = TimeSpan.FromSeconds(1);
        });
        var endpoint = server.Services.GetRequiredService<RecordingEndpoint>();
        // Completes the handshake, then never reads or answers anything.
        await using var silent = await RawWebSocket.ConnectAsync(server.Port);
        Assert.Equal(101, silent.Status);
        var connection = await endpoint.FirstConnection.WaitAsync(Timeout);

        var (status, description) = await endpoint.WaitClosedAsync(connection.Id, seconds: 30);
        Assert.Equal(WebSocketCloseCodes.Abnormal, (int)status);
        Assert.Contains("Pong", description ?? "", StringComparison.OrdinalIgnoreCase);
        Assert.Empty(server.Hub.GetConnections("recording"));

        // On the wire: the server pinged, then dropped the connection.
        var ping = await silent.ReadFrameAsync();
        Assert.Equal(0x9, ping?.Opcode);
        Assert.True(await silent.WaitForEndAsync());
    }

    [Fact]
    public async Task A_peer_that_answers_pings_stays_connected_past_the_keep_alive_timeout()
    {
        var interval = TimeSpan.FromMilliseconds(300);
        await using var server = await StartRecordingAsync(o =>
        {
            o.KeepAliveInterval = interval;
            // Roomy enough that a pong delayed by a busy test run is not taken for a dead peer.
            o.KeepAliveTimeout = TimeSpan.FromSeconds(2);
        });
        // A raw client, so each ping is seen and answered: the time passes by the server's own pings.
        await using var peer = await RawWebSocket.ConnectAsync(server.Port);
        Assert.Equal(101, peer.Status);
        const int Pings = 10; // 9 intervals after the first: 2.7 s, past the 2 s timeout
        for (var i = 0; i < Pings; i++) await AnswerPingAsync(peer);

        await peer.SendTextAsync("alive");
        WsFrame? frame;
        while ((frame = await peer.ReadFrameAsync()) is { Opcode: 0x9 }) await peer.SendFrameAsync(0xA, frame.Payload);
        if (frame is not { Opcode: 0x1 }) Assert.Fail($"expected the echo, got {frame?.ToString() ?? "the end of the connection"}");
        Assert.Equal("alive", frame.Text);
        Assert.NotEmpty(server.Hub.GetConnections("recording"));
    }

    [Fact]
    public async Task A_peer_that_keeps_sending_messages_is_alive_even_if_it_never_answers_a_ping()
    {
        // The keep-alive runs on the hub's one timer, not the runtime's: anything the peer sends
        // after a ping answers it, because a peer that sends is not dead.
        await using var server = await StartRecordingAsync(o =>
        {
            o.KeepAliveInterval = TimeSpan.FromMilliseconds(300);
            o.KeepAliveTimeout = TimeSpan.FromSeconds(1);
        });
        await using var peer = await RawWebSocket.ConnectAsync(server.Port);
        Assert.Equal(101, peer.Status);
        var pings = 0;
        for (var i = 0; i < 6; i++) // 4.2 s: a message every 0.7 s, each past the interval, none a pong
        {
            await Task.Delay(700);
            await peer.SendTextAsync("tick " + i);
            WsFrame? frame;
            while ((frame = await peer.ReadFrameAsync()) is { Opcode: 0x9 }) pings++; // never answered
            Assert.Equal("tick " + i, frame?.Text);
        }
        Assert.True(pings > 0, "the server should have pinged the peer between its messages");
        Assert.NotEmpty(server.Hub.GetConnections("recording"));
    }

    [Fact]
    public async Task Without_a_keep_alive_timeout_the_server_sends_unsolicited_pongs_and_never_pings()
    {
        await using var server = await StartRecordingAsync(o =>
        {
            o.KeepAliveInterval = TimeSpan.FromSeconds(1);
            o.KeepAliveTimeout = TimeSpan.Zero;
        });
        await using var peer = await RawWebSocket.ConnectAsync(server.Port);
        Assert.Equal(101, peer.Status);
        var started = DateTime.UtcNow;
        for (var i = 0; i < 3; i++)
        {
            var frame = await peer.ReadFrameAsync(TimeSpan.FromSeconds(10));
            Assert.Equal((0xA, 0), (frame?.Opcode, frame?.Payload.Length));
        }
        // Three pongs a second or so apart (the hub's timer ticks once a second), and the
        // silent peer is still connected: without a timeout nobody is taken for dead.
        Assert.InRange((DateTime.UtcNow - started).TotalSeconds, 1.5, 10);
        await peer.SendTextAsync("still here");
        Assert.Equal("still here", (await peer.ReadFrameAsync())?.Text);
    }

    private static async Task AnswerPingAsync(RawWebSocket peer)
    {
        var frame = await peer.ReadFrameAsync();
        if (frame is not { Opcode: 0x9 }) Assert.Fail($"expected a ping, got {frame?.ToString() ?? "the end of the connection"}");
        await peer.SendFrameAsync(0xA, frame.Payload);
    }
}
