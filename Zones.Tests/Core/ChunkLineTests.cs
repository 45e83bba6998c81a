using System.Text;
using Zones.Http;

namespace Zones.Tests.Core;

/// <summary>
/// The chunk-size line by RFC 9112 §7.1.1 and nothing looser:
/// chunk-size *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] ).
/// </summary>
public sealed class ChunkLineTests
{
    [Theory]
    [InlineData("5", 5, 0)]
    [InlineData("0", 0, 0)]
    [InlineData("00000", 0, 0)]
    [InlineData("000000000000000000000000a", 10, 0)]         // leading zeros are 1*HEXDIG too, however many
    [InlineData("7fffffffffffffff", long.MaxValue, 0)]
    [InlineData("1F;a", 31, 2)]
    [InlineData("5;a=b", 5, 4)]
    [InlineData("5;a=b;c;d=e", 5, 10)]
    [InlineData("5 ;a", 5, 3)]                               // BWS before ';'
    [InlineData("5\t; \ta", 5, 5)]                           // and after it
    [InlineData("5;a = b", 5, 6)]                            // around '='
    [InlineData("5;a\t=\t\"q\"", 5, 8)]
    [InlineData("5;a=\"\"", 5, 5)]                           // an empty quoted string is a value
    [InlineData("5;a=\"x y;z=w\"", 5, 12)]                   // ';' and '=' inside quotes are text
    [InlineData("5;a=\"x\\\"y\\\\\"", 5, 11)]                // quoted-pairs: \" and \\
    [InlineData("5;a=\"\\\t\"", 5, 7)]                       // a quoted tab
    [InlineData("5;!#$%&'*+-.^_`|~09AZaz=!#$%&'*+-.^_`|~", 5, 38)] // every tchar class
    public void A_line_by_the_grammar_is_accepted(string line, long size, int extensionLength)
    {
        Assert.Equal(size, ChunkLine.Parse(Encoding.Latin1.GetBytes(line), out var extensions));
        Assert.Equal(extensionLength, extensions);
    }

    [Fact]
    public void Obs_text_is_allowed_inside_a_quoted_value()
    {
        Assert.Equal(3, ChunkLine.Parse([(byte)'3', (byte)';', (byte)'a', (byte)'=', (byte)'"', 0xE9, 0xFF, (byte)'"'], out _));
    }

    [Theory]
    [InlineData("")]                  // no size
    [InlineData(";a")]
    [InlineData("x")]
    [InlineData("-5")]
    [InlineData("+5")]
    [InlineData("0x5")]
    [InlineData(" 5")]                // whitespace before the size
    [InlineData("5 ")]                // whitespace after it, no ';'
    [InlineData("5\t")]
    [InlineData("5 a")]
    [InlineData("5;")]                // ';' without a name
    [InlineData("5; ")]
    [InlineData("5;;a")]
    [InlineData("5;a;")]
    [InlineData("5;=b")]
    [InlineData("5;bad[=x")]          // the name is not a token
    [InlineData("5;a b")]
    [InlineData("5;a=")]              // '=' without a value
    [InlineData("5;a= ")]
    [InlineData("5;a=b ")]            // whitespace after a value, no ';'
    [InlineData("5;a ")]
    [InlineData("5;a=b/c")]           // '/' is not a tchar
    [InlineData("5;a=b=c")]
    [InlineData("5;a=\"b")]           // no closing quote
    [InlineData("5;a=\"b\\\"")]       // the closing quote is escaped
    [InlineData("5;a=\"b\\")]         // a backslash at the end
    [InlineData("5;a=\"b\"c")]        // text straight after the quoted string
    [InlineData("5;a=\"b\" ")]
    [InlineData("5;a=\"b\x01\"")]     // control characters, quoted or not
    [InlineData("5;a=\"b\x7f\"")]
    [InlineData("5;a=\"b\\\x01\"")]   // and not even as a quoted-pair
    [InlineData("5;a\x00")]
    [InlineData("5;a=b\rc")]
    [InlineData("5;a=b\nc")]          // the lone LF of CVE-2025-55315
    [InlineData("8000000000000000")]  // past 63 bits
    [InlineData("FFFFFFFFFFFFFFFFF")]
    public void Anything_else_is_400(string line)
    {
        var e = Assert.Throws<BadHttpRequestException>(() => ChunkLine.Parse(Encoding.Latin1.GetBytes(line), out _));
        Assert.Equal(400, e.Status);
    }
}
