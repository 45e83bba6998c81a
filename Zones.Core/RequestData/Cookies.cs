namespace Zones.RequestData;

/// <summary>
/// Reads the Cookie request header (RFC 6265 §5.4): "a=1; b=2". Values are returned as sent,
/// without surrounding double quotes and without any decoding — the server that set a cookie
/// chose its encoding. Malformed pieces (no '=' or an empty name) are skipped, never fatal.
/// When a name repeats, the first is the most specific one (longest path), as browsers order them.
/// </summary>
public static class Cookies
{
    /// <summary>The cookies of every Cookie field in <paramref name="headers"/>, in order.</summary>
    public static ParameterList Parse(IEnumerable<string> headers)
    {
        List<KeyValuePair<string, string>>? items = null;
        foreach (var header in headers)
        {
            foreach (var range in header.AsSpan().Split(';'))
            {
                var piece = header.AsSpan(range).Trim(" \t");
                var eq = piece.IndexOf('=');
                if (eq <= 0) continue;
                var name = piece[..eq].Trim(" \t");
                var value = piece[(eq + 1)..].Trim(" \t");
                if (name.IsEmpty) continue;
                if (value.Length >= 2 && value[0] == '"' && value[^1] == '"') value = value[1..^1];
                (items ??= []).Add(new(new string(name), new string(value)));
            }
        }
        return items is null ? ParameterList.Empty : ParameterList.Wrap(items);
    }
}
