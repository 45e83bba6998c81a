using System.Buffers;
using System.Text;
using Zones.Http;
using Zones.Server;

namespace Zones.Tests.Properties;

/// <summary>
/// Properties of the parser: a valid request parses the same however its bytes are split as they
/// arrive, and parse → serialize → parse is stable for every supported form.
/// </summary>
public sealed class SplitParsingTests
{
    private static readonly ServerLimits Limits = new();

    public static TheoryData<string> ValidRequests => new()
    {
        "GET / HTTP/1.1\r\nHost: t\r\n\r\n",
        "GET /a/b/../c?x=1&y=%20 HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent: split/1.0\r\nAccept: */*\r\n\r\n",
        "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\nContent-Type: text/plain\r\n\r\nhello world",
        "POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: yes\r\nX-Sum: 10\r\n\r\n",
        "PUT /caf%C3%A9 HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 3\r\n\r\nabc",
        "OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n",
        "GET http://example.com/abs?q HTTP/1.1\r\nHost: example.com\r\nX-Empty:\r\nX-Obs-Text: caf\u00e9\r\n\r\n",
        "\r\nDELETE /thing HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok",
    };

    /// <summary>Sixty random valid requests (seeded), beside the hand-written ones, by their text.</summary>
    private static readonly IReadOnlyDictionary<string, GeneratedRequest> Generated =
        RequestGenerator.Generate(60, seed: 6455).DistinctBy(g => g.Text).ToDictionary(g => g.Text);

    public static TheoryData<string> GeneratedRequests => new(Generated.Keys);

    [Theory]
    [MemberData(nameof(GeneratedRequests))]
    public void A_generated_request_parses_to_what_the_generator_wrote(string request)
    {
        var known = Generated[request];
        var expected = Describe(known.Method, known.Target, known.Path, known.Query, known.Version, known.Host, known.ContentLength,
            known.Chunked, expectsContinue: false, known.KeepAlive, known.Headers, known.Trailers, Encoding.Latin1.GetBytes(known.Body));
        // The splits below are compared with this whole parse, so they too are held to what was written.
        Assert.Equal(expected, Describe(Parse(Encoding.Latin1.GetBytes(request), [])));
    }

    [Theory]
    [MemberData(nameof(ValidRequests))]
    [MemberData(nameof(GeneratedRequests))]
    public void Every_two_piece_split_parses_the_same(string request)
    {
        var bytes = Encoding.Latin1.GetBytes(request);
        var whole = Describe(Parse(bytes, []));
        for (var split = 1; split < bytes.Length; split++)
            Assert.Equal(whole, Describe(Parse(bytes, [split])));
    }

    [Theory]
    [MemberData(nameof(ValidRequests))]
    [MemberData(nameof(GeneratedRequests))]
    public void Random_many_piece_splits_parse_the_same(string request)
    {
        var bytes = Encoding.Latin1.GetBytes(request);
        var whole = Describe(Parse(bytes, []));
        var random = new Random(request.Length); // seeded: a failure reproduces
        for (var round = 0; round < 300; round++)
        {
            var splits = Enumerable.Range(0, random.Next(2, Math.Min(12, bytes.Length))).Select(_ => random.Next(1, bytes.Length)).ToList();
            Assert.Equal(whole, Describe(Parse(bytes, splits)));
        }
        Assert.Equal(whole, Describe(Parse(bytes, Enumerable.Range(1, bytes.Length - 1).ToList()))); // one byte at a time
    }

    [Theory]
    [MemberData(nameof(ValidRequests))]
    [MemberData(nameof(GeneratedRequests))]
    public void Parse_serialize_parse_round_trips(string request)
    {
        var first = Parse(Encoding.Latin1.GetBytes(request), []);
        var serialized = Serialize(first);
        var second = Parse(serialized, []);
        Assert.Equal(Describe(first), Describe(second));
        Assert.Equal(serialized, Serialize(second));
    }

    private sealed record Parsed(HttpRequest Request, byte[] Body);

    /// <summary>Feeds the bytes as they would arrive: the head scanner and chunked decoder see a growing, segmented buffer.</summary>
    private static Parsed Parse(byte[] bytes, IReadOnlyList<int> splits)
    {
        var arrivals = splits.Where(s => s > 0 && s < bytes.Length).Distinct().Order().Append(bytes.Length).ToList();
        var scanner = new HeadScanner();
        var available = 0;
        long headEnd = -1;
        ReadOnlySequence<byte> buffer = default;
        foreach (var end in arrivals)
        {
            available = end;
            buffer = SegmentedSequence.Create(bytes[..available], splits);
            if (scanner.TryFindEnd(buffer, Limits, out headEnd)) break;
        }
        Assert.True(headEnd > 0, "the head never completed");
        var head = buffer.Slice(scanner.HeadStart, headEnd - scanner.HeadStart).ToArray();
        var request = HttpRequest.Parse(head);

        var body = new MemoryStream();
        var offset = (int)headEnd;
        if (request.IsChunked)
        {
            var decoder = new ChunkedDecoder();
            var destination = new byte[7]; // small on purpose: data crosses destination boundaries too
            foreach (var end in arrivals.Where(a => a > offset).Prepend(available).Distinct())
            {
                while (!decoder.IsDone)
                {
                    var pending = SegmentedSequence.Create(bytes[offset..end], splits.Select(s => s - offset).ToList());
                    var copied = decoder.Decode(pending, destination, request.Trailers, Limits, out var consumed);
                    body.Write(destination, 0, copied);
                    var used = (int)pending.Slice(0, consumed).Length;
                    offset += used;
                    if (copied == 0 && used == 0) break; // needs the next arrival
                }
            }
            Assert.True(decoder.IsDone, "the chunked body never ended");
        }
        else if (request.ContentLength is { } length)
        {
            body.Write(bytes, offset, (int)length);
        }
        return new Parsed(request, body.ToArray());
    }

    private static string Describe(Parsed p)
    {
        var r = p.Request;
        return Describe(r.Method, r.Target, r.Path, r.QueryString, r.Version, r.Host, r.ContentLength, r.IsChunked, r.ExpectsContinue, r.KeepAliveRequested,
            r.Headers, r.Trailers, p.Body);
    }

    private static string Describe(string method, string target, string path, string query, Zones.Http.HttpVersion version, string host, long? contentLength,
        bool chunked, bool expectsContinue, bool keepAlive, IEnumerable<KeyValuePair<string, string>> headers, IEnumerable<KeyValuePair<string, string>> trailers, byte[] body) =>
        $"{method}|{target}|{path}|{query}|{version}|{host}|{contentLength}|{chunked}|{expectsContinue}|{keepAlive}|"
        + string.Join(";", headers.Select(h => $"{h.Key}={h.Value}")) + "|"
        + string.Join(";", trailers.Select(h => $"{h.Key}={h.Value}")) + "|"
        + Convert.ToHexString(body);

    /// <summary>The canonical wire form: the body re-framed the way it arrived (chunked as one chunk).</summary>
    private static byte[] Serialize(Parsed p)
    {
        var r = p.Request;
        var text = new StringBuilder($"{r.Method} {r.Target} {r.Protocol}\r\n");
        foreach (var (name, value) in r.Headers) text.Append($"{name}: {value}\r\n");
        text.Append("\r\n");
        var output = new MemoryStream();
        output.Write(Encoding.UTF8.GetBytes(text.ToString()));
        if (r.IsChunked)
        {
            if (p.Body.Length > 0)
            {
                output.Write(Encoding.ASCII.GetBytes($"{p.Body.Length:X}\r\n"));
                output.Write(p.Body);
                output.Write("\r\n"u8);
            }
            output.Write("0\r\n"u8);
            foreach (var (name, value) in r.Trailers) output.Write(Encoding.UTF8.GetBytes($"{name}: {value}\r\n"));
            output.Write("\r\n"u8);
        }
        else
        {
            output.Write(p.Body);
        }
        return output.ToArray();
    }
}
