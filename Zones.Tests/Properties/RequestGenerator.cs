using System.Text;

namespace Zones.Tests.Properties;

/// <summary>
/// Random valid HTTP/1.1 and 1.0 requests for the parser properties: methods, targets with
/// percent-encoded UTF-8 and queries, random token header names with visible-ASCII values and
/// inner whitespace, and bodies by Content-Length or chunked (random chunk sizes, extensions by
/// the grammar with whitespace and quoted strings, and trailers). Seeded, so a failing case is the same on every run.
/// </summary>
internal static class RequestGenerator
{
    private const string TokenChars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string HostChars = "abcdefghijklmnopqrstuvwxyz0123456789-";
    private const string QueryChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$'()*+,;:@/?";
    private const string PathChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@";
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND"];
    private static readonly string[] Encoded = ["%20", "%C3%A9", "%E2%82%AC", "%F0%9F%98%80", "%2F", "%25", "%3F"];
    // Names the parser gives meaning to are written by the generator itself, never at random.
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
        { "Host", "Content-Length", "Transfer-Encoding", "Connection", "Expect", "Upgrade", "TE", "Keep-Alive" };

    public static IEnumerable<string> Generate(int count, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++) yield return One(random);
    }

    private static string One(Random random)
    {
        var method = Methods[random.Next(Methods.Length)];
        var http10 = random.Next(5) == 0;
        var text = new StringBuilder($"{method} {Target(random)} HTTP/1.{(http10 ? 0 : 1)}\r\n");
        if (!http10 || random.Next(2) == 0) text.Append($"Host: {From(random, HostChars, 1, 12)}.test{(random.Next(3) == 0 ? ":" + random.Next(1, 65536) : "")}\r\n");
        if (http10 && random.Next(2) == 0) text.Append("Connection: keep-alive\r\n");

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var h = random.Next(0, 9); h > 0; h--)
        {
            var name = Token(random, 1, 20);
            if (Reserved.Contains(name) || !names.Add(name)) continue;
            text.Append(name).Append(':').Append(random.Next(3) == 0 ? "" : " ").Append(Value(random)).Append("\r\n");
        }

        var body = random.Next(3);
        if (body == 0 || (http10 && body == 2))
        {
            text.Append("\r\n");
            return text.ToString();
        }
        var data = Data(random, random.Next(0, 300));
        if (body == 1)
        {
            text.Append($"Content-Length: {data.Length}\r\n\r\n").Append(data);
            return text.ToString();
        }
        text.Append("Transfer-Encoding: chunked\r\n\r\n");
        var offset = 0;
        while (offset < data.Length)
        {
            var size = Math.Min(data.Length - offset, random.Next(1, 80));
            text.Append(random.Next(2) == 0 ? size.ToString("x") : size.ToString("X"));
            if (random.Next(4) == 0) text.Append(Extensions(random));
            text.Append("\r\n").Append(data, offset, size).Append("\r\n");
            offset += size;
        }
        text.Append("0\r\n");
        for (var t = random.Next(0, 3); t > 0; t--) text.Append("X-T-").Append(Token(random, 1, 8)).Append(": ").Append(Value(random)).Append("\r\n");
        text.Append("\r\n");
        return text.ToString();
    }

    private static string Target(Random random)
    {
        if (random.Next(20) == 0) return "http://" + From(random, HostChars, 1, 8) + ".test/abs";
        var path = new StringBuilder();
        for (var s = random.Next(0, 5); s >= 0; s--)
        {
            path.Append('/');
            for (var c = random.Next(0, 10); c > 0; c--)
                path.Append(random.Next(6) == 0 ? Encoded[random.Next(Encoded.Length)] : PathChars[random.Next(PathChars.Length)].ToString());
        }
        // A segment of only dots would be removed as a dot segment; keep the generator's paths literal.
        var literal = string.Join('/', path.ToString().Split('/').Select(seg => seg.Trim('.').Length == 0 && seg.Length > 0 ? seg + "x" : seg));
        if (random.Next(3) == 0)
        {
            literal += "?";
            for (var q = random.Next(1, 4); q > 0; q--) literal += From(random, QueryChars, 1, 5) + "=" + From(random, QueryChars, 0, 6) + (q > 1 ? "&" : "");
        }
        return literal;
    }

    /// <summary>chunk-ext by RFC 9112 §7.1.1: BWS around ";" and "=", values as tokens or quoted strings with quoted-pairs.</summary>
    private static string Extensions(Random random)
    {
        var ext = new StringBuilder();
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            ext.Append(Bws(random)).Append(';').Append(Bws(random)).Append(Token(random, 1, 6));
            if (random.Next(3) == 0) continue;
            ext.Append(Bws(random)).Append('=').Append(Bws(random));
            if (random.Next(2) == 0) { ext.Append(Token(random, 1, 6)); continue; }
            ext.Append('"');
            for (var c = random.Next(0, 12); c > 0; c--)
            {
                var ch = random.Next(6) == 0 ? '\t' : (char)random.Next(0x20, 0x7F);
                if (ch is '"' or '\\') ext.Append('\\');
                ext.Append(ch);
            }
            ext.Append('"');
        }
        return ext.ToString();
    }

    private static string Bws(Random random) => random.Next(3) switch { 0 => " ", 1 => "\t ", _ => "" };

    private static string Token(Random random, int min, int max) => From(random, TokenChars, min, max);

    private static string From(Random random, string alphabet, int min, int max)
    {
        var length = random.Next(min, max + 1);
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++) text.Append(alphabet[random.Next(alphabet.Length)]);
        return text.ToString();
    }

    /// <summary>Visible ASCII with spaces and tabs inside, never at the ends (those are optional whitespace, not value).</summary>
    private static string Value(Random random)
    {
        var length = random.Next(0, 40);
        var value = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            var inner = i > 0 && i < length - 1 && random.Next(8) == 0;
            value.Append(inner ? (random.Next(2) == 0 ? ' ' : '\t') : (char)random.Next(0x21, 0x7F));
        }
        return value.ToString();
    }

    private static string Data(Random random, int length)
    {
        var data = new StringBuilder(length);
        for (var i = 0; i < length; i++) data.Append((char)random.Next(0, 256)); // any byte (sent as Latin-1)
        return data.ToString();
    }
}
