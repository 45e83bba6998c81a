using System.Buffers;
using System.Text;

namespace Zones.Http;

/// <summary>
/// Turns the raw path of a request target into the path handlers see: percent-decoded once,
/// UTF-8 checked, dot segments removed (RFC 3986 §5.2.4) so no path can climb above "/".
/// An encoded slash stays "%2F": it is data inside a segment, not a separator.
/// </summary>
internal static class RequestPath
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>True when decoding would return the bytes unchanged: no percent-encoding, no dot segment.</summary>
    public static bool IsPlain(ReadOnlySpan<byte> raw) => raw.IndexOf((byte)'%') < 0 && raw.IndexOf("/."u8) < 0;

    public static string Decode(ReadOnlySpan<byte> raw)
    {
        if (IsPlain(raw)) return Encoding.ASCII.GetString(raw);

        var rented = ArrayPool<byte>.Shared.Rent(raw.Length);
        try
        {
            var decoded = PercentDecode(raw, rented);
            var length = RemoveDotSegments(rented.AsSpan(0, decoded));
            string text;
            try { text = StrictUtf8.GetString(rented, 0, length); }
            catch (DecoderFallbackException) { throw BadHttpRequestException.Bad("The request path is not valid UTF-8."); }
            return text;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int PercentDecode(ReadOnlySpan<byte> raw, Span<byte> output)
    {
        var w = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b != '%') { output[w++] = b; continue; }
            if (i + 2 >= raw.Length || !Hex.IsDigit(raw[i + 1]) || !Hex.IsDigit(raw[i + 2]))
                throw BadHttpRequestException.Bad("The request path has a malformed percent-encoding.");
            var value = (byte)((Hex.Value(raw[i + 1]) << 4) | Hex.Value(raw[i + 2]));
            if (value == 0)
                throw BadHttpRequestException.Bad("The request path contains an encoded NUL.");
            if (value == '/')
            {
                // Keep an encoded slash encoded: decoding it would join two segments into one path.
                output[w++] = (byte)'%'; output[w++] = (byte)'2'; output[w++] = (byte)'F';
            }
            else
            {
                output[w++] = value;
            }
            i += 2;
        }
        return w;
    }

    /// <summary>Removes "." and ".." segments in place; ".." at the root stays at the root. Returns the new length.</summary>
    internal static int RemoveDotSegments(Span<byte> path)
    {
        // Segments are copied forward; "w" is the write position, always at a segment boundary.
        var w = 0;
        var r = 0;
        while (r < path.Length)
        {
            // path[r] is '/' (paths start with '/', and every segment is entered at its slash).
            var next = path[(r + 1)..].IndexOf((byte)'/');
            var end = next < 0 ? path.Length : r + 1 + next;
            var segment = path[(r + 1)..end];
            var isLast = end == path.Length;
            if (segment.Length == 1 && segment[0] == '.')
            {
                if (isLast) path[w++] = (byte)'/'; // "/a/." → "/a/"
            }
            else if (segment.Length == 2 && segment[0] == '.' && segment[1] == '.')
            {
                // Drop the previous segment (back to its slash), never going above the root.
                var slash = w > 0 ? path[..w].LastIndexOf((byte)'/') : -1;
                w = slash < 0 ? 0 : slash;
                if (isLast) path[w++] = (byte)'/'; // "/a/b/.." → "/a/"
            }
            else
            {
                path[r..end].CopyTo(path[w..]);
                w += end - r;
            }
            r = end;
        }
        if (w == 0) path[w++] = (byte)'/';
        return w;
    }
}
