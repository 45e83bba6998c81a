using System.Globalization;
using System.Text.RegularExpressions;

namespace Zones.Tests.Corpus;

/// <summary>
/// One case of the bad-input corpus (Corpus/bad-requests/*.http). The file format:
/// <code>
/// expect: 400 close            statuses in order, each "keep" or "close"; "half-close" sends FIN after the bytes
/// why: what the case is about
/// body: ok /a | read /body: abc optional: the bodies of the responses in order, separated by "|" (an empty one is not compared)
/// ---
/// GET / HTTP/1.1\r\n           the bytes; real newlines are ignored, \r \n \t \0 \\ \xNN are escapes,
/// X: {a*9000}\r\n              and {c*N} repeats the character c N times
/// </code>
/// </summary>
public sealed record BadRequestCase(string Name, IReadOnlyList<(int Status, bool Close)> Expected, bool HalfClose, string Why, byte[] Bytes, IReadOnlyList<string?> Bodies)
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Corpus", "bad-requests");

    public static BadRequestCase Load(string path)
    {
        var text = File.ReadAllText(path);
        var split = text.IndexOf("\n---\n", StringComparison.Ordinal);
        var header = text[..split].Split('\n').Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        var expectations = header["expect"].Split(',').Select(e =>
        {
            var words = e.Trim().Split(' ');
            return (int.Parse(words[0], CultureInfo.InvariantCulture), words[1] == "close");
        }).ToList();
        var bodies = header.TryGetValue("body", out var listed) ? listed.Split('|').Select(b => b.Trim() is { Length: > 0 } body ? body : null).ToList() : [];
        return new BadRequestCase(Path.GetFileNameWithoutExtension(path), expectations, header["expect"].Contains("half-close"), header["why"], Decode(text[(split + 5)..]), bodies);
    }

    public static byte[] Decode(string body)
    {
        body = body.Replace("\n", "");
        body = Regex.Replace(body, @"\{(.)\*(\d+)\}", m => new string(m.Groups[1].Value[0], int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));
        var bytes = new List<byte>(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] != '\\') { bytes.Add((byte)body[i]); continue; }
            var c = body[++i];
            switch (c)
            {
                case 'r': bytes.Add((byte)'\r'); break;
                case 'n': bytes.Add((byte)'\n'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case '0': bytes.Add(0); break;
                case '\\': bytes.Add((byte)'\\'); break;
                case 'x': bytes.Add(byte.Parse(body.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)); i += 2; break;
                default: throw new FormatException($"unknown escape \\{c}");
            }
        }
        return [.. bytes];
    }

    public override string ToString() => Name;
}
