using System.Text;

namespace Zones.Tests.WebSockets;

/// <summary>
/// Frames written byte by byte: what RFC 6455 requires of a server for each malformed or tricky
/// frame, checked on the wire (the close code the server sends, and that it never answers
/// what it must not).
/// </summary>
public sealed class FrameTests
{
    /// <summary>A server and one raw client past the handshake; disposing it ends both.</summary>
    private sealed class Opened(WebSocketTestServer server, RawWebSocket client) : IAsyncDisposable
    {
        public WebSocketTestServer Server { get; } = server;

        public RawWebSocket Client { get; } = client;

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Server.DisposeAsync();
        }
    }

    private static async Task<Opened> OpenAsync(Action<Zones.Handlers.WebSockets.WebSocketZoneOptions>? configure = null)
    {
        var server = await WebSocketTestServer.StartAsync(configure);
        var client = await RawWebSocket.ConnectAsync(server.Port);
        Assert.Equal(101, client.Status);
        return new Opened(server, client);
    }

    private static async Task AssertClosedWithAsync(RawWebSocket client, int code)
    {
        var (before, close) = await client.ReadUntilCloseAsync();
        Assert.True(close is not null, "expected a close frame, the connection ended without one; frames before: " + string.Join("; ", before));
        Assert.Equal(code, close.CloseCode);
        Assert.True(await client.WaitForEndAsync(), "the server should close the TCP connection after failing the WebSocket");
    }

    [Fact]
    public async Task A_masked_text_frame_is_echoed_unmasked()
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        await client.SendTextAsync("Hello, κόσμε");
        var frame = await client.ReadFrameAsync();
        Assert.NotNull(frame);
        Assert.Equal(0x1, frame.Opcode);
        Assert.True(frame.Fin);
        Assert.Equal("Hello, κόσμε", frame.Text);
    }

    [Fact]
    public async Task An_empty_text_message_is_echoed_as_an_empty_text_message()
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        await client.SendFrameAsync(0x1, []);
        await client.SendFrameAsync(0x2, []);
        var text = await client.ReadFrameAsync();
        var binary = await client.ReadFrameAsync();
        Assert.Equal((0x1, 0), (text!.Opcode, text.Payload.Length));
        Assert.Equal((0x2, 0), (binary!.Opcode, binary.Payload.Length));
    }

    [Fact]
    public async Task An_unmasked_client_frame_is_a_protocol_error()
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        await client.SendFrameAsync(0x1, "plain"u8.ToArray(), mask: false);
        await AssertClosedWithAsync(client, 1002);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(7)]
    public async Task Reserved_bits_without_an_extension_are_a_protocol_error_and_the_message_before_them_is_still_echoed(int rsv)
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        // Autobahn 3.2: a good message, then a bad frame, then a ping that must not be answered.
        await client.SendRawAsync([
            .. RawWebSocket.Frame(0x1, "before"u8.ToArray()),
            .. RawWebSocket.Frame(0x1, "bad"u8.ToArray(), rsv: rsv),
            .. RawWebSocket.Frame(0x9, "ping"u8.ToArray())]);
        var (before, close) = await client.ReadUntilCloseAsync();
        Assert.Equal(["before"], before.Select(f => f.Text));
        Assert.Equal(1002, close?.CloseCode);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(0xB)]
    [InlineData(0xF)]
    public async Task Reserved_opcodes_are_a_protocol_error(int opcode)
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        await client.SendFrameAsync(opcode, "x"u8.ToArray());
        await AssertClosedWithAsync(client, 1002);
    }

    [Fact]
    public async Task A_ping_with_a_payload_is_answered_by_a_pong_with_the_same_payload()
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        var payload = Enumerable.Range(0, 125).Select(i => (byte)(255 - i)).ToArray();
        await client.SendFrameAsync(0x9, payload);
        var pong = await client.ReadFrameAsync();
        Assert.Equal(0xA, pong!.Opcode);
        Assert.Equal(payload, pong.Payload);
    }

    [Fact]
    public async Task Unsolicited_pongs_are_ignored_and_an_empty_ping_gets_an_empty_pong()
    {
        await using var opened = await OpenAsync(); // keep-alive pings and their timeout are on by default
        var client = opened.Client;
        // Autobahn 2.7–2.9: pongs nobody asked for, with and without a payload, change nothing.
        await client.SendFrameAsync(0xA, []);
        await client.SendFrameAsync(0xA, "unsolicited"u8.ToArray());
        await client.SendFrameAsync(0xA, [1, 2, 3, 4, 5, 6, 7, 8]);
        await client.SendFrameAsync(0x9, []);
        var pong = await client.ReadFrameAsync();
        Assert.Equal((0xA, 0), (pong!.Opcode, pong.Payload.Length));
        await client.SendTextAsync("still fine");
        Assert.Equal("still fine", (await client.ReadFrameAsync())!.Text);
    }

    [Fact]
    public async Task Pings_that_arrive_in_pieces_or_together_between_messages_are_each_answered_in_order()
    {
        // Between messages the connection itself waits for the next frame and answers pings: a
        // ping cut in two, and two pings with a message behind them in one write, must come out
        // exactly as System.Net.WebSockets would answer them.
        await using var opened = await OpenAsync();
        var client = opened.Client;
        var split = RawWebSocket.Frame(0x9, "split ping"u8.ToArray());
        await client.SendRawAsync(split[..3]);
        await Task.Delay(200);
        await client.SendRawAsync(split[3..]);
        var pong = await client.ReadFrameAsync();
        Assert.Equal((0xA, "split ping"), (pong!.Opcode, pong.Text));

        await client.SendRawAsync([.. RawWebSocket.Frame(0x9, "one"u8.ToArray()), .. RawWebSocket.Frame(0x9, "two"u8.ToArray()), .. RawWebSocket.Frame(0x1, "after"u8.ToArray())]);
        var frames = new List<WsFrame>();
        for (var i = 0; i < 3; i++) frames.Add((await client.ReadFrameAsync())!);
        Assert.Equal([(0xA, "one"), (0xA, "two"), (0x1, "after")], frames.Select(f => (f.Opcode, f.Text)));
    }

    [Fact]
    public async Task An_unmasked_ping_between_messages_is_a_protocol_error()
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        await client.SendTextAsync("first");
        Assert.Equal("first", (await client.ReadFrameAsync())!.Text);
        await client.SendFrameAsync(0x9, "plain"u8.ToArray(), mask: false);
        await AssertClosedWithAsync(client, 1002);
    }

    [Theory]
    [InlineData(0x9)]
    [InlineData(0x8)]
    public async Task Reserved_bits_on_a_control_frame_are_a_protocol_error(int opcode)
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        await client.SendFrameAsync(opcode, opcode == 0x8 ? RawWebSocket.ClosePayload(1000, []) : "p"u8.ToArray(), rsv: 6);
        await AssertClosedWithAsync(client, 1002);
    }

    [Fact]
    public async Task A_control_frame_over_125_bytes_is_a_protocol_error()
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        await client.SendFrameAsync(0x9, new byte[126]);
        await AssertClosedWithAsync(client, 1002);
    }

    [Fact]
    public async Task A_fragmented_control_frame_is_a_protocol_error()
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        await client.SendFrameAsync(0x9, "half"u8.ToArray(), fin: false);
        await AssertClosedWithAsync(client, 1002);
    }

    [Fact]
    public async Task Pings_between_fragments_are_answered_and_the_message_arrives_whole()
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        await client.SendFrameAsync(0x1, "frag"u8.ToArray(), fin: false);
        await client.SendFrameAsync(0x9, "p1"u8.ToArray());
        await client.SendFrameAsync(0x0, "men"u8.ToArray(), fin: false);
        await client.SendFrameAsync(0x9, "p2"u8.ToArray());
        await client.SendFrameAsync(0x0, "ted"u8.ToArray());
        var frames = new List<WsFrame>();
        for (var i = 0; i < 3; i++) frames.Add((await client.ReadFrameAsync())!);
        Assert.Equal(["p1", "p2"], frames.Where(f => f.Opcode == 0xA).Select(f => f.Text));
        var text = Assert.Single(frames, f => f.Opcode == 0x1);
        Assert.Equal("fragmented", text.Text);
        Assert.True(text.Fin);
    }

    [Fact]
    public async Task A_continuation_without_a_message_to_continue_is_a_protocol_error()
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        await client.SendFrameAsync(0x0, "orphan"u8.ToArray());
        await AssertClosedWithAsync(client, 1002);
    }

    [Fact]
    public async Task A_new_message_inside_a_fragmented_one_is_a_protocol_error()
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        await client.SendFrameAsync(0x1, "one"u8.ToArray(), fin: false);
        await client.SendFrameAsync(0x1, "two"u8.ToArray());
        await AssertClosedWithAsync(client, 1002);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_text_message_closes_with_1007()
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        await client.SendFrameAsync(0x1, [0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc, 0xce, 0xb5, 0xed, 0xa0, 0x80, 0x65, 0x64, 0x69, 0x74, 0x65, 0x64]);
        await AssertClosedWithAsync(client, 1007);
    }

    [Fact]
    public async Task Invalid_utf8_in_the_first_fragment_fails_at_once_without_waiting_for_the_rest()
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        // Autobahn 6.4.1: the bad fragment, and the rest never comes.
        await client.SendFrameAsync(0x1, "κόσμε"u8.ToArray(), fin: false);
        await client.SendFrameAsync(0x0, [0xf4, 0x90, 0x80, 0x80], fin: false);
        await AssertClosedWithAsync(client, 1007);
    }

    [Fact]
    public async Task Invalid_utf8_is_found_inside_a_frame_whose_payload_is_still_arriving()
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        // Autobahn 6.4.4: one frame of 21 bytes, sent in pieces; the code point past U+10FFFF shows
        // after its second byte, long before the frame is complete.
        byte[] good = [0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc, 0xce, 0xb5];
        byte[] payload = [.. good, 0xf4, 0x90, 0x80, 0x80, 0x65, 0x64, 0x69, 0x74, 0x65, 0x64];
        var frame = RawWebSocket.Frame(0x1, payload);
        var headerLength = frame.Length - payload.Length;
        // Up to 0xf4, which can still begin a valid code point; then 0x90, after which none can.
        // The other 8 bytes of the frame are never sent: only a check made as the payload arrives closes it.
        await client.SendRawAsync(frame[..(headerLength + good.Length + 1)]);
        await client.SendRawAsync(frame[(headerLength + good.Length + 1)..(headerLength + good.Length + 2)]);
        await AssertClosedWithAsync(client, 1007);
    }

    [Fact]
    public async Task Valid_multibyte_utf8_trickled_one_byte_at_a_time_is_echoed_intact()
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        var text = "Hello-µ@ßöäüàá-UTF-8!! κόσμε 𝄞 €";
        var bytes = Encoding.UTF8.GetBytes(text);
        // Autobahn 6.2.3: one frame, its bytes sent one by one; then 6.2.4: one frame per byte.
        foreach (var b in RawWebSocket.Frame(0x1, bytes)) await client.SendRawAsync([b]);
        Assert.Equal(text, (await client.ReadFrameAsync())!.Text);
        for (var i = 0; i < bytes.Length; i++)
            await client.SendFrameAsync(i == 0 ? 0x1 : 0x0, [bytes[i]], fin: i == bytes.Length - 1);
        Assert.Equal(text, (await client.ReadFrameAsync())!.Text);
    }

    [Fact]
    public async Task A_message_over_MaxMessageBytes_closes_with_1009_before_the_rest_arrives()
    {
        await using var opened = await OpenAsync(o => o.MaxMessageBytes = 1000);
        var client = opened.Client;
        await client.SendFrameAsync(0x2, new byte[1000]);
        var echoed = await client.ReadFrameAsync();
        Assert.Equal(1000, echoed!.Payload.Length);
        await client.SendFrameAsync(0x2, new byte[600], fin: false);
        await client.SendFrameAsync(0x0, new byte[600], fin: false);
        await AssertClosedWithAsync(client, 1009);
    }

    private const string DeflateOffer = "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover; server_no_context_takeover";

    private static async Task<Opened> OpenCompressedAsync(Action<Zones.Handlers.WebSockets.WebSocketZoneOptions>? configure = null)
    {
        var server = await WebSocketTestServer.StartAsync(o =>
        {
            o.Compression = true;
            configure?.Invoke(o);
        });
        var client = await RawWebSocket.ConnectAsync(server.Port, "/ws", DeflateOffer);
        Assert.Equal(101, client.Status);
        Assert.StartsWith("permessage-deflate", client.Headers["Sec-WebSocket-Extensions"]);
        return new Opened(server, client);
    }

    private const int Rsv1 = 0b100; // "compressed", in the three reserved bits

    [Fact]
    public async Task With_permessage_deflate_messages_cross_the_wire_compressed_both_ways()
    {
        await using var opened = await OpenCompressedAsync();
        var client = opened.Client;
        var message = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("All work and no play makes Jack a dull boy. ", 1500)));
        var compressed = RawWebSocket.Deflate(message);
        Assert.True(compressed.Length < message.Length / 10);
        await client.SendFrameAsync(0x1, compressed, rsv: Rsv1);

        var echo = await client.ReadFrameAsync();
        Assert.NotNull(echo);
        Assert.Equal((0x1, Rsv1), (echo.Opcode, echo.Rsv));
        Assert.True(echo.Payload.Length < message.Length / 10, $"the echo took {echo.Payload.Length} bytes on the wire for a {message.Length}-byte message");
        Assert.Equal(message, RawWebSocket.Inflate(echo.Payload));
    }

    [Fact]
    public async Task A_compression_bomb_closes_with_1009_before_its_frame_has_even_arrived()
    {
        await using var opened = await OpenCompressedAsync(o =>
        {
            o.MaxMessageBytes = 1000;
            o.CloseTimeout = TimeSpan.FromSeconds(1);
        });
        var client = opened.Client;
        // 64 MiB of zeros deflate to about 64 KiB. Half the frame is sent, and that half already
        // inflates to far past the limit: the server must stop there, not wait for (or inflate) the rest.
        var bomb = RawWebSocket.Frame(0x2, RawWebSocket.Deflate(new byte[64 * 1024 * 1024]), rsv: Rsv1);
        await client.SendRawAsync(bomb[..(bomb.Length / 2)]);
        await AssertClosedWithAsync(client, 1009);
    }

    [Fact]
    public async Task Invalid_utf8_inside_a_compressed_text_message_closes_with_1007()
    {
        await using var opened = await OpenCompressedAsync();
        var client = opened.Client;
        await client.SendFrameAsync(0x1, RawWebSocket.Deflate([.. "κόσμε"u8, 0xf4, 0x90, 0x80, 0x80, .. "edited"u8]), rsv: Rsv1);
        await AssertClosedWithAsync(client, 1007);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(1003)]
    [InlineData(1007)]
    [InlineData(1011)]
    [InlineData(3000)]
    [InlineData(4999)]
    public async Task A_valid_close_code_is_echoed_and_the_server_then_closes_the_connection(int code)
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        await client.SendCloseAsync(code, "bye");
        await AssertClosedWithAsync(client, code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(1004)]
    [InlineData(1005)]
    [InlineData(1006)]
    [InlineData(1015)]
    [InlineData(1016)]
    [InlineData(2999)]
    [InlineData(5000)]
    public async Task An_invalid_close_code_is_a_protocol_error(int code)
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        await client.SendCloseAsync(code);
        await AssertClosedWithAsync(client, 1002);
    }

    [Fact]
    public async Task An_empty_close_is_answered_by_an_empty_close_never_by_1005()
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        await client.SendCloseAsync(null);
        var (_, close) = await client.ReadUntilCloseAsync();
        Assert.NotNull(close);
        Assert.True(close.Payload.Length is 0 or 2, $"payload of {close.Payload.Length} bytes");
        if (close.Payload.Length == 2) Assert.Equal(1000, close.CloseCode);
        Assert.True(await client.WaitForEndAsync());
    }

    [Fact]
    public async Task A_close_payload_of_one_byte_is_a_protocol_error()
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        await client.SendFrameAsync(0x8, [0x03]);
        await AssertClosedWithAsync(client, 1002);
    }

    [Fact]
    public async Task A_close_reason_that_is_not_utf8_is_refused()
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        await client.SendFrameAsync(0x8, RawWebSocket.ClosePayload(1000, [0xce, 0xba, 0xed, 0xa0, 0x80]));
        var (_, close) = await client.ReadUntilCloseAsync();
        Assert.Contains(close?.CloseCode, new int?[] { 1002, 1007 });
    }

    [Fact]
    public async Task A_close_reason_of_123_bytes_is_fine_and_124_makes_the_frame_too_long()
    {
        {
            await using var opened = await OpenAsync();
            var client = opened.Client;
            await client.SendCloseAsync(1000, new string('*', 123));
            await AssertClosedWithAsync(client, 1000);
        }
        {
            await using var opened = await OpenAsync();
            var client = opened.Client;
            await client.SendCloseAsync(1000, new string('*', 124));
            await AssertClosedWithAsync(client, 1002);
        }
    }

    [Fact]
    public async Task Nothing_is_answered_after_the_close_handshake()
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        // Autobahn 7.1.3 / 7.1.4: a ping and a text after the close get no answer.
        await client.SendRawAsync([
            .. RawWebSocket.Frame(0x8, RawWebSocket.ClosePayload(1000, [])),
            .. RawWebSocket.Frame(0x9, "late"u8.ToArray()),
            .. RawWebSocket.Frame(0x1, "late"u8.ToArray())]);
        var (before, close) = await client.ReadUntilCloseAsync();
        Assert.Empty(before);
        Assert.Equal(1000, close?.CloseCode);
        var after = await client.ReadFrameAsync(TimeSpan.FromSeconds(5));
        Assert.Null(after);
    }

    [Fact]
    public async Task A_large_message_in_many_small_fragments_is_echoed_whole()
    {
        await using var opened = await OpenAsync();
        var client = opened.Client;
        var text = string.Concat(Enumerable.Range(0, 4000).Select(i => (char)('a' + i % 26)));
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var offset = 0; offset < bytes.Length; offset += 1)
        {
            var last = offset + 1 >= bytes.Length;
            await client.SendFrameAsync(offset == 0 ? 0x1 : 0x0, bytes[offset..(offset + 1)], fin: last);
        }
        var frame = await client.ReadFrameAsync();
        Assert.Equal(text, frame!.Text);
    }
}
