namespace Zones.Handlers.WebSockets;

/// <summary>
/// The two control frames the connection handles itself between messages (RFC 6455 §5.5.2–3):
/// a client's ping, answered with a pong carrying the same payload, and a pong, which only says
/// the peer is alive. Only frames that are plainly well formed are taken — final, no RSV bits,
/// masked as a client's must be, a payload of at most 125 bytes; anything else (data, close, a
/// malformed frame) is left to System.Net.WebSockets, which knows how to refuse it.
/// </summary>
internal static class ControlFrame
{
    public const byte PingOpcode = 0x9;
    public const byte PongOpcode = 0xA;

    /// <summary>Base header, mask key, and the largest control payload.</summary>
    public const int MaxClientFrame = 2 + 4 + 125;

    /// <summary>
    /// The size of the client ping or pong that <paramref name="head"/> (its first two bytes)
    /// begins, or 0 when the frame is not one the connection takes (see the class remarks).
    /// </summary>
    public static int ClientFrameLength(ReadOnlySpan<byte> head, out byte opcode)
    {
        opcode = (byte)(head[0] & 0x0F);
        var finalWithoutRsv = (head[0] & 0xF0) == 0x80;
        var masked = (head[1] & 0x80) != 0;
        var length = head[1] & 0x7F;
        if (!finalWithoutRsv || !masked || length > 125 || opcode is not (PingOpcode or PongOpcode)) return 0;
        return 2 + 4 + length;
    }

    /// <summary>Unmasks a whole client frame's payload in place and returns it.</summary>
    public static Span<byte> Payload(Span<byte> frame)
    {
        var mask = frame.Slice(2, 4);
        var payload = frame[6..];
        for (var i = 0; i < payload.Length; i++) payload[i] ^= mask[i & 3];
        return payload;
    }

    /// <summary>Writes an unmasked server frame (final, no RSV bits) into <paramref name="destination"/>; returns its length.</summary>
    public static int WriteServerFrame(Span<byte> destination, byte opcode, ReadOnlySpan<byte> payload)
    {
        destination[0] = (byte)(0x80 | opcode);
        destination[1] = (byte)payload.Length;
        payload.CopyTo(destination[2..]);
        return 2 + payload.Length;
    }
}
