using System.Text;
using Zones.Http;
using Zones.Tests.Properties;
using Zones.Server;

namespace Zones.Tests.Core;

/// <summary>
/// Issue 12's rules for the request head: Transfer-Encoding by RFC 9112 §6.3, look-alikes of the
/// framing headers, Host by §3.2, and which part of an over-long request line earns 414.
/// </summary>
public sealed class HeadStrictnessTests
{
    private static readonly ServerLimits Limits = new();

    private static int StatusOf(string head)
    {
        try
        {
            RequestHeadParser.Parse(Encoding.Latin1.GetBytes(head));
            return 200;
        }
        catch (BadHttpRequestException e)
        {
            return e.Status;
        }
    }

    [Theory]
    [InlineData("chunked", 200)]
    [InlineData(" Chunked\t", 200)]
    [InlineData("chunked, ", 200)]                 // empty list elements do not count
    [InlineData("chunked, gzip", 400)]             // chunked not final: the length cannot be known
    [InlineData("chunked, identity", 400)]
    [InlineData("gzip", 400)]                      // no chunked at all: the same
    [InlineData("identity", 400)]
    [InlineData("xchunked", 400)]
    [InlineData("chunked, chunked", 400)]          // chunked applied twice
    [InlineData("chunked, gzip, chunked", 400)]
    [InlineData("gzip, chunked", 501)]             // framed, but by a coding Zones does not implement
    [InlineData("gzip, deflate, chunked", 501)]
    [InlineData("", 400)]
    [InlineData(",", 400)]
    [InlineData("gz(ip, chunked", 400)]            // not a token: malformed, not unimplemented
    public void Transfer_encoding_follows_RFC_9112_section_6_3(string value, int status)
    {
        Assert.Equal(status, StatusOf($"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: {value}\r\n\r\n"));
    }

    [Theory]
    [InlineData("chunked")]
    [InlineData("gzip, chunked")]                  // 400, not 501: the version rule comes first
    public void Transfer_encoding_in_HTTP_1_0_is_400(string value)
    {
        Assert.Equal(400, StatusOf($"POST / HTTP/1.0\r\nTransfer-Encoding: {value}\r\n\r\n"));
    }

    [Theory]
    [InlineData("Content_Length", 400)]
    [InlineData("content_length", 400)]
    [InlineData("Content_length", 400)]
    [InlineData("Transfer_Encoding", 400)]
    [InlineData("TRANSFER_ENCODING", 400)]
    [InlineData("Content_Type", 200)]              // only the two framing headers
    [InlineData("X_Content_Length", 200)]
    [InlineData("Content__Length", 200)]           // not the same length: no proxy maps it to Content-Length
    [InlineData("Content_Lengths", 200)]
    public void A_framing_header_with_underscore_for_dash_is_400(string name, int status)
    {
        Assert.Equal(status, StatusOf($"GET / HTTP/1.1\r\nHost: t\r\n{name}: 0\r\n\r\n"));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost:\r\n\r\n", 400)]                          // empty on origin-form
    [InlineData("GET / HTTP/1.1\r\nHost:  \t\r\n\r\n", 400)]                      // whitespace is empty too
    [InlineData("GET / HTTP/1.0\r\nHost:\r\n\r\n", 400)]
    [InlineData("OPTIONS * HTTP/1.1\r\nHost:\r\n\r\n", 400)]                      // asterisk-form has no authority either
    [InlineData("GET / HTTP/1.0\r\n\r\n", 200)]                                   // HTTP/1.0 may leave Host out
    [InlineData("GET / HTTP/1.1\r\n\r\n", 400)]                                   // HTTP/1.1 may not
    [InlineData("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400)]                      // invalid
    [InlineData("GET http://a.example/ HTTP/1.1\r\nHost:\r\n\r\n", 200)]          // absolute-form: Host is ignored…
    [InlineData("GET http://a.example/ HTTP/1.1\r\nHost: b.example\r\n\r\n", 200)]
    [InlineData("GET http://a.example/ HTTP/1.1\r\nHost: a b\r\n\r\n", 400)]      // …but an invalid one is still refused (§3.2)
    [InlineData("GET http://a.example/ HTTP/1.1\r\n\r\n", 400)]                   // and HTTP/1.1 still needs one
    [InlineData("GET http://a.example:99999/ HTTP/1.1\r\nHost: a\r\n\r\n", 400)]  // the target's authority must be valid itself
    [InlineData("GET http://a.example:x/ HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET http://a\"b/ HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET http://u@a.example/ HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET http://[::1]:8080/ HTTP/1.1\r\nHost: a\r\n\r\n", 200)]
    public void Host_follows_RFC_9112_section_3_2(string head, int status)
    {
        Assert.Equal(status, StatusOf(head));
    }

    [Fact]
    public void The_target_s_authority_is_Request_Host()
    {
        var request = RequestHeadParser.Parse("GET http://a.example:8080/x HTTP/1.1\r\nHost: b.example\r\n\r\n"u8.ToArray());
        Assert.Equal("a.example:8080", request.Host);
        Assert.Equal("b.example", request.Headers["Host"]);
    }

    public static TheoryData<string, int> LongLines => new()
    {
        { new string('G', 100_000) + " / HTTP/1.1\r\n", 400 },                   // the method alone is over the limit
        { new string('G', 9000), 400 },                                          // and has no end yet
        { "GET /" + new string('a', 9000), 414 },                                // the target has no end yet
        { "GET /" + new string('a', 9000) + " HTTP/1.1\r\n", 414 },
        { new string('G', 4000) + " /" + new string('a', 5000) + " HTTP/1.1\r\n", 414 }, // the target crosses the limit
        { "G(T /" + new string('a', 9000) + " HTTP/1.1\r\n", 400 },              // an invalid method is a bad method
        { " /" + new string('a', 9000) + " HTTP/1.1\r\n", 400 },                 // so is an empty one
        { "GET / HTTP/1.1" + new string('x', 9000) + "\r\n", 400 },              // a short target, then a runaway version
        { "GET / " + new string('x', 9000), 400 },
    };

    [Theory]
    [MemberData(nameof(LongLines))]
    public void An_over_long_request_line_is_414_only_for_its_target(string line, int status)
    {
        // Whole, and arriving in pieces of 1000 bytes across segment boundaries: the same answer.
        Assert.Equal(status, ScanStatus(Encoding.Latin1.GetBytes(line + "Host: t\r\n\r\n"), 1_000_000));
        Assert.Equal(status, ScanStatus(Encoding.Latin1.GetBytes(line + "Host: t\r\n\r\n"), 1000));
    }

    private static int ScanStatus(byte[] bytes, int piece)
    {
        var scanner = new HeadScanner();
        try
        {
            for (var available = Math.Min(piece, bytes.Length); ; available = Math.Min(available + piece, bytes.Length))
            {
                var splits = Enumerable.Range(1, available / 700).Select(i => i * 700).ToList();
                if (scanner.TryFindEnd(SegmentedSequence.Create(bytes[..available], splits), Limits, out _)) return 200;
                if (available == bytes.Length) return 0;
            }
        }
        catch (BadHttpRequestException e)
        {
            return e.Status;
        }
    }
}
