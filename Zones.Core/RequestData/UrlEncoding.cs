using System.Buffers;
using System.Text;
using Zones.Http;

namespace Zones.RequestData;

/// <summary>
/// application/x-www-form-urlencoded, the encoding of query strings and simple form posts:
/// pairs split on '&amp;', name and value on the first '=', '+' is a space, %XX a byte, and the
/// bytes are UTF-8. Lenient where browsers are: a '%' not followed by two hex digits stays as it
/// is, and invalid UTF-8 becomes U+FFFD — a bad query never fails a request.
/// </summary>
public static class UrlEncoding
{
    /// <summary>Parses "a=1&amp;b=x+y&amp;a=2" (without the '?'); pairs without '=' get an empty value, empty pairs are skipped.</summary>
    public static ParameterList ParseQuery(string query)
    {
        if (string.IsNullOrEmpty(query)) return ParameterList.Empty;
        var items = new List<KeyValuePair<string, string>>();
        foreach (var range in query.AsSpan().Split('&'))
        {
            var pair = query.AsSpan(range);
            if (pair.IsEmpty) continue;
            var eq = pair.IndexOf('=');
            items.Add(eq < 0
                ? new(Decode(pair), "")
                : new(Decode(pair[..eq]), Decode(pair[(eq + 1)..])));
        }
        return ParameterList.Wrap(items);
    }

    /// <summary>Decodes one component of a query or form: '+' → space, %XX → byte, bytes → UTF-8.</summary>
    public static string Decode(ReadOnlySpan<char> encoded)
    {
        if (encoded.IndexOfAny('%', '+') < 0) return new string(encoded);
        var max = Encoding.UTF8.GetMaxByteCount(encoded.Length);
        var rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var n = Encoding.UTF8.GetBytes(encoded, rented);
            return Decode(rented.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Decodes one component given as bytes (a form body).</summary>
    public static string Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty) return "";
        if (encoded.IndexOfAny((byte)'%', (byte)'+') < 0) return Encoding.UTF8.GetString(encoded);
        var rented = ArrayPool<byte>.Shared.Rent(encoded.Length);
        try
        {
            var output = rented.AsSpan();
            var w = 0;
            for (var r = 0; r < encoded.Length; r++)
            {
                var b = encoded[r];
                if (b == '+') b = (byte)' ';
                else if (b == '%' && r + 2 < encoded.Length && Hex.TryDecode(encoded[r + 1], encoded[r + 2], out var decoded))
                {
                    b = decoded;
                    r += 2;
                }
                output[w++] = b;
            }
            return Encoding.UTF8.GetString(output[..w]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Encodes a component for a query string or form body (space as '+', UTF-8, everything but unreserved characters escaped).</summary>
    public static string Encode(string value) => Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal);
}
