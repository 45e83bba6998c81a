using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Zones.Tls;

namespace Zones.Tests.Acme;

/// <summary>The ClientHello read ahead of SslStream, for tls-alpn-01: real hellos from SslStream, cut and spoiled.</summary>
public sealed class ClientHelloTests
{
    [Fact]
    public async Task A_real_hello_gives_its_server_name_and_ALPN_protocols()
    {
        var bytes = await CaptureAsync("zones.example.com", "acme-tls/1");
        Assert.Equal(ClientHelloParse.Parsed, ClientHello.TryParse(bytes, out var hello));
        Assert.Equal("zones.example.com", hello!.ServerName);
        Assert.Equal(["acme-tls/1"], hello.ApplicationProtocols);
        Assert.True(hello.Offers("acme-tls/1"));

        bytes = await CaptureAsync("www.zones.example.com", "h2", "http/1.1");
        Assert.Equal(ClientHelloParse.Parsed, ClientHello.TryParse(bytes, out hello));
        Assert.Equal("www.zones.example.com", hello!.ServerName);
        Assert.Equal(["h2", "http/1.1"], hello.ApplicationProtocols);
        Assert.False(hello.Offers("acme-tls/1"));
    }

    [Fact]
    public async Task A_hello_without_SNI_or_ALPN_parses_with_neither()
    {
        var bytes = await CaptureAsync("");
        Assert.Equal(ClientHelloParse.Parsed, ClientHello.TryParse(bytes, out var hello));
        Assert.Null(hello!.ServerName);
        Assert.Empty(hello.ApplicationProtocols);
    }

    [Fact]
    public async Task Every_cut_of_a_hello_asks_for_more_and_a_hello_split_over_two_records_still_parses()
    {
        var bytes = await CaptureAsync("zones.example.com", "acme-tls/1");
        for (var length = 0; length < bytes.Length; length++)
            Assert.Equal(ClientHelloParse.Incomplete, ClientHello.TryParse(bytes.AsSpan(0, length), out _));

        // The same handshake message in two records (allowed by RFC 8446 §5.1).
        var message = bytes.AsSpan(5);
        var split = message.Length / 2;
        byte[] twoRecords = [.. Record(message[..split]), .. Record(message[split..])];
        Assert.Equal(ClientHelloParse.Parsed, ClientHello.TryParse(twoRecords, out var hello));
        Assert.Equal("zones.example.com", hello!.ServerName);
        Assert.Equal(["acme-tls/1"], hello.ApplicationProtocols);
        for (var length = 0; length < twoRecords.Length; length++)
            Assert.Equal(ClientHelloParse.Incomplete, ClientHello.TryParse(twoRecords.AsSpan(0, length), out _));
    }

    [Fact]
    public void Plain_HTTP_and_impossible_records_are_refused()
    {
        Assert.Equal(ClientHelloParse.Invalid, ClientHello.TryParse("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8, out _));
        Assert.Equal(ClientHelloParse.Invalid, ClientHello.TryParse([22, 3, 1, 0, 0], out _));              // empty record
        Assert.Equal(ClientHelloParse.Invalid, ClientHello.TryParse([22, 3, 1, 0x40, 0x01], out _));        // longer than TLS allows
        Assert.Equal(ClientHelloParse.Invalid, ClientHello.TryParse([22, 3, 1, 0, 4, 2, 0, 0, 0], out _));  // a ServerHello
        Assert.Equal(ClientHelloParse.Invalid, ClientHello.TryParse([22, 3, 1, 0, 4, 1, 0xFF, 0, 0], out _)); // a hello longer than Zones reads ahead
        Assert.Equal(ClientHelloParse.Invalid, ClientHello.TryParse([22, 3, 1, 0, 5, 1, 0, 0, 1, 3], out _)); // a body too short for its version and random
    }

    [Fact]
    public async Task Spoiled_hellos_give_a_result_and_never_throw()
    {
        var bytes = await CaptureAsync("zones.example.com", "acme-tls/1", "http/1.1");
        var random = new Random(8737);
        var parsed = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var spoiled = bytes.ToArray();
            for (var n = random.Next(1, 4); n > 0; n--) spoiled[random.Next(spoiled.Length)] = (byte)random.Next(256);
            var result = ClientHello.TryParse(spoiled.AsSpan(0, random.Next(spoiled.Length + 1)), out var hello);
            Assert.Equal(result == ClientHelloParse.Parsed, hello is not null);
            if (result == ClientHelloParse.Parsed) parsed++;
        }
        for (var i = 0; i < 5_000; i++)
        {
            var garbage = new byte[random.Next(0, 600)];
            random.NextBytes(garbage);
            if (garbage.Length > 2) { garbage[0] = 22; garbage[1] = 3; }
            ClientHello.TryParse(garbage, out _);
        }
        Assert.True(parsed > 0, "some spoiled hellos (a changed random byte) still parse");
    }

    [Fact]
    public async Task The_stream_replays_the_hello_it_read_ahead_then_reads_on()
    {
        var bytes = await CaptureAsync("zones.example.com", "acme-tls/1");
        byte[] sent = [.. bytes, .. "after"u8];
        await using var stream = new ClientHelloStream(new MemoryStream(sent));
        var hello = await stream.ReadHelloAsync(CancellationToken.None);
        Assert.Equal("zones.example.com", hello?.ServerName);
        var read = new MemoryStream();
        var buffer = new byte[7]; // smaller than the hello: the replay comes in pieces
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0) read.Write(buffer, 0, n);
        Assert.Equal(sent, read.ToArray());
    }

    [Fact]
    public async Task The_stream_gives_back_garbage_untouched_and_says_it_is_no_hello()
    {
        var sent = "GET / HTTP/1.1\r\n\r\n"u8.ToArray();
        await using var stream = new ClientHelloStream(new MemoryStream(sent));
        Assert.Null(await stream.ReadHelloAsync(CancellationToken.None));
        var buffer = new byte[100];
        var n = await stream.ReadAsync(buffer);
        Assert.Equal(sent, buffer[..n]);
    }

    [Fact]
    public async Task A_hello_larger_than_the_first_read_buffer_is_read_whole_and_replayed()
    {
        var bytes = Padded(await CaptureAsync("zones.example.com", "acme-tls/1"), 9000);
        Assert.True(bytes.Length > 9000);
        await using var stream = new ClientHelloStream(new MemoryStream(bytes));
        var hello = await stream.ReadHelloAsync(CancellationToken.None);
        Assert.Equal("zones.example.com", hello?.ServerName);
        Assert.Equal(["acme-tls/1"], hello!.ApplicationProtocols);
        var read = new MemoryStream();
        await stream.CopyToAsync(read);
        Assert.Equal(bytes, read.ToArray());
    }

    /// <summary>The hello with a padding extension (RFC 7685) of <paramref name="padding"/> bytes, every length fixed up.</summary>
    private static byte[] Padded(byte[] record, int padding)
    {
        var offset = 5 + 4 + 2 + 32;
        offset += 1 + record[offset];                                                 // session id
        offset += 2 + BinaryPrimitives.ReadUInt16BigEndian(record.AsSpan(offset));    // cipher suites
        offset += 1 + record[offset];                                                 // compression
        var extensions = BinaryPrimitives.ReadUInt16BigEndian(record.AsSpan(offset));
        var extension = new byte[4 + padding];
        BinaryPrimitives.WriteUInt16BigEndian(extension, 21);
        BinaryPrimitives.WriteUInt16BigEndian(extension.AsSpan(2), (ushort)padding);
        byte[] result = [.. record, .. extension];
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(offset), (ushort)(extensions + extension.Length));
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(3), (ushort)(result.Length - 5));
        var handshake = result.Length - 9;
        result[6] = (byte)(handshake >> 16); result[7] = (byte)(handshake >> 8); result[8] = (byte)handshake;
        return result;
    }

    private static byte[] Record(ReadOnlySpan<byte> fragment)
    {
        var record = new byte[5 + fragment.Length];
        record[0] = 22; record[1] = 3; record[2] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(3), (ushort)fragment.Length);
        fragment.CopyTo(record.AsSpan(5));
        return record;
    }

    /// <summary>The first TLS record an SslStream client sends, read off a loopback socket by its record header.</summary>
    private static async Task<byte[]> CaptureAsync(string serverName, params string[] protocols)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var server = await listener.AcceptTcpClientAsync();
        var ssl = new SslStream(client.GetStream());
        var handshake = ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            ApplicationProtocols = [.. protocols.Select(p => new SslApplicationProtocol(p))],
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        });
        var input = server.GetStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var header = new byte[5];
        await input.ReadExactlyAsync(header, timeout.Token);
        var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(3))];
        await input.ReadExactlyAsync(body, timeout.Token);
        server.Close();
        await Assert.ThrowsAnyAsync<Exception>(() => handshake);
        ssl.Dispose();
        return [.. header, .. body];
    }
}
