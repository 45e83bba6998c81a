using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.WebSockets;

/// <summary>
/// A WebSocket client written byte by byte for the tests, so frames the real clients would never
/// send (unmasked, reserved bits, bad opcodes, broken UTF-8) can be sent, and what the server
/// answers can be read frame by frame.
/// </summary>
public sealed class RawWebSocket : IAsyncDisposable
{
    public const string SampleKey = "dGhlIHNhbXBsZSBub25jZQ==";
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly RawConnection _connection;

    private RawWebSocket(RawConnection connection, RawResponse response)
    {
        _connection = connection;
        Status = response.Status;
        Headers = response.Headers;
        Body = response.BodyText;
    }

    public Socket Socket => _connection.Socket;

    public int Status { get; }

    public Dictionary<string, string> Headers { get; }

    /// <summary>The response body of a refused handshake.</summary>
    public string Body { get; }

    public static Task<RawWebSocket> ConnectAsync(int port, string path = "/ws", params string[] extraHeaders) =>
        SendHandshakeAsync(port, BuildHandshake(path, extraHeaders));

    /// <summary>Sends <paramref name="request"/> as it is and reads the response head (and body, unless 101).</summary>
    public static async Task<RawWebSocket> SendHandshakeAsync(int port, string request, Action<Socket>? configure = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        configure?.Invoke(socket);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var connection = new RawConnection(socket);
        await connection.SendAsync(request);
        return new RawWebSocket(connection, await connection.ReadResponseAsync());
    }

    /// <summary>A handshake for <paramref name="path"/>; extra headers replace the defaults of the same name ("Name: ~" drops one).</summary>
    public static string BuildHandshake(string path = "/ws", params string[] extraHeaders)
    {
        var builder = new StringBuilder($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        var names = extraHeaders.Select(h => h[..h.IndexOf(':')]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!names.Contains("Upgrade")) builder.Append("Upgrade: websocket\r\n");
        if (!names.Contains("Connection")) builder.Append("Connection: Upgrade\r\n");
        if (!names.Contains("Sec-WebSocket-Key")) builder.Append($"Sec-WebSocket-Key: {SampleKey}\r\n");
        if (!names.Contains("Sec-WebSocket-Version")) builder.Append("Sec-WebSocket-Version: 13\r\n");
        foreach (var header in extraHeaders.Where(h => !h.EndsWith(": ~", StringComparison.Ordinal))) builder.Append(header).Append("\r\n");
        return builder.Append("\r\n").ToString();
    }

    /// <summary>A client frame: masked unless told otherwise; <paramref name="rsv"/> is the three reserved bits (0–7).</summary>
    public Task SendFrameAsync(int opcode, byte[] payload, bool fin = true, bool mask = true, int rsv = 0) =>
        SendRawAsync(Frame(opcode, payload, fin, mask, rsv));

    public Task SendTextAsync(string text, bool fin = true) => SendFrameAsync(0x1, Encoding.UTF8.GetBytes(text), fin);

    public Task SendCloseAsync(int? code, string reason = "") =>
        SendFrameAsync(0x8, code is null ? [] : ClosePayload(code.Value, Encoding.UTF8.GetBytes(reason)));

    public static byte[] ClosePayload(int code, byte[] reason)
    {
        var payload = new byte[2 + reason.Length];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code);
        reason.CopyTo(payload, 2);
        return payload;
    }

    public static byte[] Frame(int opcode, byte[] payload, bool fin = true, bool mask = true, int rsv = 0)
    {
        var header = new List<byte> { (byte)((fin ? 0x80 : 0) | (rsv << 4) | opcode) };
        var maskBit = mask ? 0x80 : 0;
        if (payload.Length <= 125) header.Add((byte)(maskBit | payload.Length));
        else if (payload.Length <= ushort.MaxValue)
        {
            header.Add((byte)(maskBit | 126));
            header.Add((byte)(payload.Length >> 8));
            header.Add((byte)payload.Length);
        }
        else
        {
            header.Add((byte)(maskBit | 127));
            for (var shift = 56; shift >= 0; shift -= 8) header.Add((byte)((long)payload.Length >> shift));
        }
        var body = (byte[])payload.Clone();
        if (mask)
        {
            byte[] key = [0x37, 0xfa, 0x21, 0x3d];
            header.AddRange(key);
            for (var i = 0; i < body.Length; i++) body[i] ^= key[i % 4];
        }
        return [.. header, .. body];
    }

    public Task SendRawAsync(byte[] bytes) => _connection.SendAsync(bytes);

    /// <summary>A message compressed as permessage-deflate sends it (RFC 7692 §7.2.1): raw DEFLATE, sync-flushed, without the trailing 00 00 FF FF.</summary>
    public static byte[] Deflate(byte[] message)
    {
        var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(message);
            deflate.Flush(); // a sync flush: ends with an empty stored block, 00 00 FF FF
            Assert.True(output.ToArray().AsSpan().EndsWith((byte[])[0x00, 0x00, 0xFF, 0xFF]), "a sync flush ends with 00 00 FF FF");
            return output.ToArray()[..^4];
        }
    }

    /// <summary>The message a permessage-deflate payload carries (RFC 7692 §7.2.2: the 00 00 FF FF put back).</summary>
    public static byte[] Inflate(byte[] payload)
    {
        using var inflate = new DeflateStream(new MemoryStream([.. payload, 0x00, 0x00, 0xFF, 0xFF]), CompressionMode.Decompress);
        var message = new MemoryStream();
        inflate.CopyTo(message);
        return message.ToArray();
    }

    /// <summary>The next server frame, or null when the connection closed.</summary>
    public async Task<WsFrame?> ReadFrameAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            var head = await _connection.ReadExactlyAsync(2, cts.Token);
            var length = (long)(head[1] & 0x7F);
            if (length == 126) length = BinaryPrimitives.ReadUInt16BigEndian(await _connection.ReadExactlyAsync(2, cts.Token));
            else if (length == 127) length = (long)BinaryPrimitives.ReadUInt64BigEndian(await _connection.ReadExactlyAsync(8, cts.Token));
            if ((head[1] & 0x80) != 0) throw new InvalidDataException("The server masked a frame.");
            var payload = await _connection.ReadExactlyAsync((int)length, cts.Token);
            return new WsFrame((head[0] & 0x80) != 0, (head[0] >> 4) & 0x7, head[0] & 0x0F, payload);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return null;
        }
    }

    /// <summary>Reads frames until a close frame (data frames before it are returned too), or null if the connection ended without one.</summary>
    public async Task<(List<WsFrame> Before, WsFrame? Close)> ReadUntilCloseAsync(TimeSpan? timeout = null)
    {
        var before = new List<WsFrame>();
        while (true)
        {
            var frame = await ReadFrameAsync(timeout);
            if (frame is null) return (before, null);
            if (frame.Opcode == 0x8) return (before, frame);
            before.Add(frame);
        }
    }

    /// <summary>True when the server closes the TCP connection within the timeout.</summary>
    public Task<bool> WaitForEndAsync(TimeSpan? timeout = null) => _connection.WaitForCloseAsync(timeout ?? DefaultTimeout);

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}

public sealed record WsFrame(bool Fin, int Rsv, int Opcode, byte[] Payload)
{
    public int? CloseCode => Opcode == 0x8 && Payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(Payload) : null;

    public string CloseReason => Opcode == 0x8 && Payload.Length > 2 ? Encoding.UTF8.GetString(Payload, 2, Payload.Length - 2) : "";

    public string Text => Encoding.UTF8.GetString(Payload);

    public override string ToString() => $"opcode {Opcode} fin {Fin} rsv {Rsv}, {Payload.Length} bytes" + (CloseCode is { } c ? $", close {c} {CloseReason}" : "");
}
