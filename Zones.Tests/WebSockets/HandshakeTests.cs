using Zones.Handlers.WebSockets;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.WebSockets;

/// <summary>RFC 6455 §4.2 on the wire: what is accepted, and the status and reason of each refusal.</summary>
public sealed class HandshakeTests
{
    [Fact]
    public void The_accept_key_for_the_RFC_sample_is_the_RFC_answer() =>
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketHandshake.ComputeAccept(RawWebSocket.SampleKey));

    [Fact]
    public async Task A_good_handshake_gets_101_with_the_accept_key_upgrade_and_connection()
    {
        await using var server = await WebSocketTestServer.StartAsync();
        await using var client = await RawWebSocket.ConnectAsync(server.Port);
        Assert.Equal(101, client.Status);
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", client.Headers["Sec-WebSocket-Accept"]);
        Assert.Equal("websocket", client.Headers["Upgrade"]);
        Assert.Equal("Upgrade", client.Headers["Connection"]);
        Assert.False(client.Headers.ContainsKey("Sec-WebSocket-Protocol"));
        Assert.False(client.Headers.ContainsKey("Content-Length"));
    }

    [Fact]
    public async Task Upgrade_and_Connection_are_case_insensitive_token_lists()
    {
        await using var server = await WebSocketTestServer.StartAsync();
        await using var client = await RawWebSocket.ConnectAsync(server.Port, "/ws/room?x=1", "Upgrade: h2c, WebSocket", "Connection: keep-alive, upgrade");
        Assert.Equal(101, client.Status);
        await client.SendTextAsync("ok");
        Assert.Equal("ok", (await client.ReadFrameAsync())!.Text);
    }

    [Theory]
    [InlineData("POST", "HTTP/1.1", "Content-Length: 0", "must be a GET")]
    [InlineData("GET", "HTTP/1.0", "X-Any: 1", "needs HTTP/1.1")]
    [InlineData("GET", "HTTP/1.1", "Connection: keep-alive", "Connection header must list")]
    [InlineData("GET", "HTTP/1.1", "Sec-WebSocket-Key: ~", "Sec-WebSocket-Key is missing")]
    [InlineData("GET", "HTTP/1.1", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ", "16 bytes in base64")]
    [InlineData("GET", "HTTP/1.1", "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAAAAAA==", "16 bytes in base64")]
    [InlineData("GET", "HTTP/1.1", "Sec-WebSocket-Key: !!!!!!!!!!!!!!!!!!!!!!==", "16 bytes in base64")]
    [InlineData("GET", "HTTP/1.1", "Content-Length: 5", "must not carry a body")]
    public async Task A_faulty_handshake_gets_400_with_the_reason(string method, string version, string header, string reason)
    {
        await using var server = await WebSocketTestServer.StartAsync();
        var request = RawWebSocket.BuildHandshake("/ws", header)
            .Replace("GET /ws HTTP/1.1", $"{method} /ws {version}")
            + (header.StartsWith("Content-Length: 5", StringComparison.Ordinal) ? "hello" : "");
        await using var client = await RawWebSocket.SendHandshakeAsync(server.Port, request);
        Assert.Equal(400, client.Status);
        Assert.Contains(reason, client.Body);
    }

    [Fact]
    public async Task Two_keys_are_refused()
    {
        await using var server = await WebSocketTestServer.StartAsync();
        await using var client = await RawWebSocket.ConnectAsync(server.Port, "/ws", $"Sec-WebSocket-Key: {RawWebSocket.SampleKey}", $"Sec-WebSocket-Key: {RawWebSocket.SampleKey}");
        Assert.Equal(400, client.Status);
        Assert.Contains("more than once", client.Body);
    }

    [Theory]
    [InlineData("Sec-WebSocket-Version: 8")]
    [InlineData("Sec-WebSocket-Version: 13, 8")]
    [InlineData("Sec-WebSocket-Version: ~")]
    public async Task Another_version_gets_426_naming_version_13(string header)
    {
        await using var server = await WebSocketTestServer.StartAsync();
        await using var client = await RawWebSocket.ConnectAsync(server.Port, "/ws", header);
        Assert.Equal(426, client.Status);
        Assert.Equal("13", client.Headers["Sec-WebSocket-Version"]);
        Assert.Equal("websocket", client.Headers["Upgrade"]);
        Assert.Equal("upgrade", client.Headers["Connection"]);
    }

    [Fact]
    public async Task A_plain_request_gets_426_at_once_never_a_hang()
    {
        await using var server = await WebSocketTestServer.StartAsync();
        using var http = server.Server.CreateClient();
        var response = await http.GetAsync("/ws");
        Assert.Equal(426, (int)response.StatusCode);
        Assert.Equal("websocket", response.Headers.Upgrade.ToString());
        // RFC 9110 §7.8: an Upgrade offered in a response is named in Connection too.
        Assert.Contains("upgrade", response.Headers.Connection);
        Assert.Contains("WebSocket", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("HTTP/1.1", "", "upgrade")]
    [InlineData("HTTP/1.1", "Connection: close\r\n", "upgrade, close")]
    [InlineData("HTTP/1.0", "Connection: keep-alive\r\n", "upgrade, keep-alive")]
    public async Task The_426_names_upgrade_in_Connection_beside_the_connection_state(string version, string connection, string expected)
    {
        await using var server = await WebSocketTestServer.StartAsync();
        await using var raw = await server.Server.ConnectAsync();
        await raw.SendAsync($"GET /ws {version}\r\nHost: x\r\n{connection}\r\n");
        var response = await raw.ReadResponseAsync();
        Assert.Equal(426, response.Status);
        Assert.Equal(expected, response.Headers["Connection"]);
        Assert.Single(response.HeaderList, h => h.Key.Equals("Connection", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task With_NonUpgrade_Pass_a_plain_request_goes_on_to_the_next_zone()
    {
        await using var server = await WebSocketTestServer.StartAsync(o => o.NonUpgrade = "Pass",
            moreZones: _ => [TestServer.Zone("/", _ => ZoneResult.Respond(ZoneResponse.Text("next zone")))]);
        using var http = server.Server.CreateClient();
        Assert.Equal("next zone", await http.GetStringAsync("/ws"));
        await using var client = await RawWebSocket.ConnectAsync(server.Port);
        Assert.Equal(101, client.Status);
    }

    [Theory]
    [InlineData(null, 101)]
    [InlineData("http://good.example", 101)]
    [InlineData("HTTP://GOOD.EXAMPLE/", 101)]
    [InlineData("http://evil.example", 403)]
    [InlineData("null", 403)]
    public async Task Origins_outside_AllowedOrigins_get_403(string? origin, int status)
    {
        await using var server = await WebSocketTestServer.StartAsync(o => o.AllowedOrigins = ["http://good.example", "https://other.example"]);
        await using var client = await RawWebSocket.ConnectAsync(server.Port, "/ws", origin is null ? [] : [$"Origin: {origin}"]);
        Assert.Equal(status, client.Status);
    }

    [Fact]
    public async Task The_subprotocol_is_chosen_from_the_clients_list_in_its_order()
    {
        await using var server = await WebSocketTestServer.StartAsync(o => o.SubProtocols = ["mqtt", "wamp.2.json"]);
        await using var chosen = await RawWebSocket.ConnectAsync(server.Port, "/ws", "Sec-WebSocket-Protocol: soap, wamp.2.json", "Sec-WebSocket-Protocol: mqtt");
        Assert.Equal("wamp.2.json", chosen.Headers["Sec-WebSocket-Protocol"]);
        await using var none = await RawWebSocket.ConnectAsync(server.Port, "/ws", "Sec-WebSocket-Protocol: soap");
        Assert.Equal(101, none.Status);
        Assert.False(none.Headers.ContainsKey("Sec-WebSocket-Protocol"));
    }

    [Fact]
    public async Task Frames_sent_with_the_handshake_in_one_packet_are_not_lost()
    {
        await using var server = await WebSocketTestServer.StartAsync();
        var request = RawWebSocket.BuildHandshake();
        byte[] bytes = [.. System.Text.Encoding.ASCII.GetBytes(request), .. RawWebSocket.Frame(0x1, "early"u8.ToArray())];
        await using var client = await RawWebSocket.SendHandshakeAsync(server.Port, System.Text.Encoding.Latin1.GetString(bytes));
        Assert.Equal(101, client.Status);
        Assert.Equal("early", (await client.ReadFrameAsync())!.Text);
    }

    [Theory]
    [InlineData("permessage-deflate", "permessage-deflate")]
    [InlineData("permessage-deflate; client_max_window_bits", "permessage-deflate")]
    [InlineData("permessage-deflate; client_max_window_bits=10", "permessage-deflate; client_max_window_bits=10")]
    [InlineData("permessage-deflate; server_no_context_takeover; client_no_context_takeover", "permessage-deflate; server_no_context_takeover; client_no_context_takeover")]
    [InlineData("permessage-deflate; server_max_window_bits=10", "permessage-deflate; server_max_window_bits=10")]
    [InlineData("permessage-deflate; server_max_window_bits=\"12\"", "permessage-deflate; server_max_window_bits=12")]
    [InlineData("permessage-deflate; server_max_window_bits=8, permessage-deflate", "permessage-deflate")]
    [InlineData("permessage-deflate; unknown_param, permessage-deflate; server_no_context_takeover", "permessage-deflate; server_no_context_takeover")]
    [InlineData("permessage-deflate; server_max_window_bits=16", null)]
    [InlineData("permessage-deflate; server_max_window_bits", null)]
    [InlineData("permessage-deflate; server_no_context_takeover; server_no_context_takeover", null)]
    [InlineData("permessage-deflate; server_no_context_takeover=1", null)]
    [InlineData("x-webkit-deflate-frame", null)]
    public void PerMessageDeflate_offers_are_honoured_or_declined(string offer, string? response)
    {
        var negotiated = PerMessageDeflate.Negotiate([offer]);
        Assert.Equal(response, negotiated?.Response);
    }

    [Fact]
    public void PerMessageDeflate_parameters_become_the_socket_options()
    {
        var (options, _) = PerMessageDeflate.Negotiate(["permessage-deflate; server_no_context_takeover; server_max_window_bits=11; client_max_window_bits=8"])!.Value;
        Assert.False(options.ServerContextTakeover);
        Assert.True(options.ClientContextTakeover);
        Assert.Equal(11, options.ServerMaxWindowBits);
        Assert.Equal(9, options.ClientMaxWindowBits); // a 9-bit window inflates what an 8-bit one deflated
    }

    // Found by fuzzing (fuzz/corpus/wshandshake): empty list elements made the negotiation throw.
    [Theory]
    [InlineData("permessage-deflate; ser se_max_window_bits,;,ver_max_window_bits,1,\u0081te", null)]
    [InlineData(",;,", null)]
    [InlineData("3Ne;;;;;;;;;;;;;;;;biWs,;,ate", null)]
    [InlineData(", , permessage-deflate", "permessage-deflate")]
    [InlineData("permessage-deflate;;", "permessage-deflate")] // empty parameters are skipped too
    public void Empty_list_elements_are_skipped_not_fatal(string header, string? response) =>
        Assert.Equal(response, PerMessageDeflate.Negotiate([header])?.Response);

    [Fact]
    public async Task Compression_is_answered_only_when_the_zone_allows_it()
    {
        await using var on = await WebSocketTestServer.StartAsync(o => o.Compression = true);
        await using var compressed = await RawWebSocket.ConnectAsync(on.Port, "/ws", "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits");
        Assert.Equal("permessage-deflate", compressed.Headers["Sec-WebSocket-Extensions"]);

        await using var off = await WebSocketTestServer.StartAsync();
        await using var plain = await RawWebSocket.ConnectAsync(off.Port, "/ws", "Sec-WebSocket-Extensions: permessage-deflate");
        Assert.False(plain.Headers.ContainsKey("Sec-WebSocket-Extensions"));
    }

    [Fact]
    public void Zone_options_are_checked_with_messages_that_say_the_fix()
    {
        var options = new WebSocketZoneOptions
        {
            Endpoint = "",
            SubProtocols = ["bad protocol"],
            MaxMessageBytes = 0,
            NonUpgrade = "404",
            KeepAliveTimeout = TimeSpan.FromSeconds(-1),
        };
        var problems = options.Validate(new ZoneInfo(0, "/ws", "websocket", null, "zones.json")).ToList();
        Assert.Contains(problems, p => p.Contains("\"Endpoint\": \"echo\""));
        Assert.Contains(problems, p => p.Contains("bad protocol"));
        Assert.Contains(problems, p => p.Contains("MaxMessageBytes"));
        Assert.Contains(problems, p => p.Contains("\"NonUpgrade\" \"404\""));
        Assert.Contains(problems, p => p.Contains("KeepAliveTimeout"));
    }
}
