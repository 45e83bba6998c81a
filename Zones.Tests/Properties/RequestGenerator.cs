using System.Text;

namespace Zones.Tests.Properties;

/// <summary>
/// Random valid HTTP/1.1 and 1.0 requests for the parser properties: methods, targets with
/// percent-encoded UTF-8 and queries, random token header names with visible-ASCII values and
/// inner whitespace, and bodies by Content-Length or chunked (random chunk sizes, extensions by
/// the grammar with whitespace and quoted strings, and trailers). Seeded, so a failing case is the
/// same on every run. Each comes with what a parser must make of it, written down as it was generated.
/// </summary>
internal static class RequestGenerator
{
    private const string TokenChars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string HostChars = "abcdefghijklmnopqrstuvwxyz0123456789-";
    private const string QueryChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$'()*+,;:@/?";
    private const string PathChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@";
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND"];
    // Each encoding with what the decoded path shows: an encoded slash stays encoded (it is data, not a separator).
    private static readonly (string Raw, string Decoded)[] Encoded =
        [("%20", " "), ("%C3%A9", "é"), ("%E2%82%AC", "€"), ("%F0%9F%98%80", "😀"), ("%2F", "%2F"), ("%25", "%"), ("%3F", "?")];
    // Names the parser gives meaning to are written by the generator itself, never at random.
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
        { "Host", "Content-Length", "Transfer-Encoding", "Connection", "Expect", "Upgrade", "TE", "Keep-Alive" };

    public static IEnumerable<GeneratedRequest> Generate(int count, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++) yield return One(random);
    }

    private static GeneratedRequest One(Random random)
    {
        var method = Methods[random.Next(Methods.Length)];
        var http10 = random.Next(5) == 0;
        var headers = new List<KeyValuePair<string, string>>();
        void Header(string name, string value) => headers.Add(new(name, value));

        string? host = !http10 || random.Next(2) == 0
            ? $"{From(random, HostChars, 1, 12)}.test{(random.Next(3) == 0 ? ":" + random.Next(1, 65536) : "")}"
            : null;
        // An absolute-form target names the same authority as Host (when there is one): what a
        // client sends, and what every parser agrees on. The authority is the request's host.
        var absolute = random.Next(20) == 0;
        var authority = absolute ? host ?? From(random, HostChars, 1, 8) + ".test" : null;
        var (target, path, query) = absolute ? ($"http://{authority}/abs", "/abs", "") : OriginForm(random);
        var text = new StringBuilder($"{method} {target} HTTP/1.{(http10 ? 0 : 1)}\r\n");
        if (host is not null)
        {
            text.Append($"Host: {host}\r\n");
            Header("Host", host);
        }
        var keepAlive = !http10;
        if (http10 && random.Next(2) == 0)
        {
            text.Append("Connection: keep-alive\r\n");
            Header("Connection", "keep-alive");
            keepAlive = true;
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var h = random.Next(0, 9); h > 0; h--)
        {
            var name = Token(random, 1, 20);
            if (Reserved.Contains(name) || !names.Add(name)) continue;
            var value = Value(random);
            text.Append(name).Append(':').Append(random.Next(3) == 0 ? "" : " ").Append(value).Append("\r\n");
            Header(name, value);
        }

        var expected = new GeneratedRequest(text.ToString(), method, target, path, query, http10 ? Zones.Http.HttpVersion.Http10 : Zones.Http.HttpVersion.Http11,
            authority ?? host ?? "", null, false, keepAlive, headers, [], "");
        var body = random.Next(3);
        if (body == 0 || (http10 && body == 2))
            return expected with { Text = text.Append("\r\n").ToString() };
        var data = Data(random, random.Next(0, 300));
        if (body == 1)
        {
            Header("Content-Length", data.Length.ToString());
            text.Append($"Content-Length: {data.Length}\r\n\r\n").Append(data);
            return expected with { Text = text.ToString(), ContentLength = data.Length, Body = data };
        }
        Header("Transfer-Encoding", "chunked");
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
        var trailers = new List<KeyValuePair<string, string>>();
        var trailerNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var t = random.Next(0, 3); t > 0; t--)
        {
            var name = "X-T-" + Token(random, 1, 8);
            var value = Value(random);
            if (!trailerNames.Add(name)) continue;
            text.Append(name).Append(": ").Append(value).Append("\r\n");
            trailers.Add(new(name, value));
        }
        text.Append("\r\n");
        return expected with { Text = text.ToString(), Chunked = true, Trailers = trailers, Body = data };
    }

    /// <summary>An origin-form target, the path a server makes of it (decoded once), and its query.</summary>
    private static (string Target, string Path, string Query) OriginForm(Random random)
    {
        var raw = new StringBuilder();
        var decoded = new StringBuilder();
        for (var s = random.Next(0, 5); s >= 0; s--)
        {
            var segment = new StringBuilder();
            var segmentDecoded = new StringBuilder();
            for (var c = random.Next(0, 10); c > 0; c--)
            {
                if (random.Next(6) == 0)
                {
                    var (encoded, plain) = Encoded[random.Next(Encoded.Length)];
                    segment.Append(encoded);
                    segmentDecoded.Append(plain);
                }
                else
                {
                    var ch = PathChars[random.Next(PathChars.Length)];
                    segment.Append(ch);
                    segmentDecoded.Append(ch);
                }
            }
            // A segment of only dots would be removed as a dot segment; keep the generator's paths literal.
            if (segment.Length > 0 && segment.ToString().Trim('.').Length == 0)
            {
                segment.Append('x');
                segmentDecoded.Append('x');
            }
            raw.Append('/').Append(segment);
            decoded.Append('/').Append(segmentDecoded);
        }
        var query = "";
        if (random.Next(3) == 0)
        {
            for (var q = random.Next(1, 4); q > 0; q--) query += From(random, QueryChars, 1, 5) + "=" + From(random, QueryChars, 0, 6) + (q > 1 ? "&" : "");
            return ($"{raw}?{query}", decoded.ToString(), query);
        }
        return (raw.ToString(), decoded.ToString(), query);
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

/// <summary>A generated request and what it means, as the generator wrote it. <see cref="Body"/> is Latin-1: one char per byte.</summary>
internal sealed record GeneratedRequest(
    string Text, string Method, string Target, string Path, string Query, Zones.Http.HttpVersion Version, string Host,
    long? ContentLength, bool Chunked, bool KeepAlive,
    IReadOnlyList<KeyValuePair<string, string>> Headers, IReadOnlyList<KeyValuePair<string, string>> Trailers, string Body)
{
    public override string ToString() => Text;
}
