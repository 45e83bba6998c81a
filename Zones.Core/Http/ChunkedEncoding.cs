using System.Buffers;
using System.Buffers.Text;

namespace Zones.Http;

/// <summary>The chunked transfer coding on the way out (RFC 9112 §7.1): each write is one chunk, and the last chunk ends the body.</summary>
internal static class ChunkedEncoding
{
    /// <summary>The zero-size chunk and the empty trailer section that end a chunked body.</summary>
    public static ReadOnlySpan<byte> LastChunk => "0\r\n\r\n"u8;

    /// <summary>Writes <paramref name="data"/> as one chunk; nothing for empty data, which would end the body.</summary>
    public static void WriteChunk(IBufferWriter<byte> output, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        var head = output.GetSpan(18);
        Utf8Formatter.TryFormat(data.Length, head, out var n, new StandardFormat('X'));
        head[n++] = (byte)'\r';
        head[n++] = (byte)'\n';
        output.Advance(n);
        output.WriteInBlocks(data);
        output.Write("\r\n"u8);
    }
}
