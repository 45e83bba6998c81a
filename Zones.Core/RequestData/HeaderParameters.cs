using System.Text;
using Zones.Http;

namespace Zones.RequestData;

/// <summary>
/// A header value of the shape "value; name=token; name="quoted \" string"" — Content-Type and
/// Content-Disposition. Parameter names are case-insensitive (kept lower-case here); quoted
/// strings are unescaped; RFC 8187 extended values (<c>filename*=UTF-8''%E2%82%AC.txt</c>) are
/// decoded and stored under the name without its star when no plain value was given.
/// </summary>
internal readonly record struct HeaderParameters(string Value, ParameterList Parameters)
{
    public string? this[string name] => Parameters[name];

    public static HeaderParameters Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return new("", ParameterList.Empty);
        var text = header.AsSpan();
        var i = 0;
        var valueEnd = text.IndexOf(';');
        var value = (valueEnd < 0 ? text : text[..valueEnd]).Trim(" \t").ToString();
        if (valueEnd < 0) return new(value, ParameterList.Empty);
        i = valueEnd + 1;

        var parameters = new List<KeyValuePair<string, string>>();
        var extended = new List<KeyValuePair<string, string>>();
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ' ' || text[i] == '\t' || text[i] == ';')) i++;
            var nameStart = i;
            while (i < text.Length && text[i] != '=' && text[i] != ';') i++;
            var name = text[nameStart..i].Trim(" \t").ToString().ToLowerInvariant();
            if (i >= text.Length || text[i] == ';') continue; // a bare word: not a parameter
            i++; // '='
            while (i < text.Length && (text[i] == ' ' || text[i] == '\t')) i++;
            string parameterValue;
            if (i < text.Length && text[i] == '"')
            {
                var builder = new StringBuilder();
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length) i++;
                    builder.Append(text[i++]);
                }
                i++; // closing quote (or end)
                parameterValue = builder.ToString();
                while (i < text.Length && text[i] != ';') i++;
            }
            else
            {
                var start = i;
                while (i < text.Length && text[i] != ';') i++;
                parameterValue = text[start..i].Trim(" \t").ToString();
            }
            if (name.Length == 0) continue;
            if (name.EndsWith('*'))
            {
                if (DecodeExtended(parameterValue) is { } decoded) extended.Add(new(name[..^1], decoded));
            }
            else
            {
                parameters.Add(new(name, parameterValue));
            }
        }
        // RFC 8187: the extended form is preferred over the plain one by recipients that understand it.
        foreach (var (name, decoded) in extended)
        {
            parameters.RemoveAll(p => p.Key == name);
            parameters.Add(new(name, decoded));
        }
        return new(value, ParameterList.Wrap(parameters));
    }

    /// <summary>charset'language'percent-encoded; only UTF-8 and ISO-8859-1 are understood (as RFC 8187 requires).</summary>
    private static string? DecodeExtended(string value)
    {
        var first = value.IndexOf('\'');
        var second = first < 0 ? -1 : value.IndexOf('\'', first + 1);
        if (second < 0) return null;
        var charset = value[..first];
        var encoded = value[(second + 1)..];
        var bytes = new List<byte>(encoded.Length);
        for (var k = 0; k < encoded.Length; k++)
        {
            if (encoded[k] == '%' && k + 2 < encoded.Length && Hex.TryDecode(encoded[k + 1], encoded[k + 2], out var b))
            {
                bytes.Add(b);
                k += 2;
            }
            else
            {
                bytes.Add((byte)encoded[k]);
            }
        }
        return charset.ToUpperInvariant() switch
        {
            "UTF-8" => Encoding.UTF8.GetString(bytes.ToArray()),
            "ISO-8859-1" => Encoding.Latin1.GetString(bytes.ToArray()),
            _ => null,
        };
    }
}
