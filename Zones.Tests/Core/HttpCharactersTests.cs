using Zones.Http;

namespace Zones.Tests.Core;

/// <summary>
/// The parser checks whole spans with vectorised searches (HttpCharacters' SearchValues); each
/// must refuse exactly the bytes its one-byte rule refuses, wherever in a span the byte stands.
/// </summary>
public sealed class HttpCharactersTests
{
    // Long enough for the vectorised paths (32 and 64 bytes at a time), with the byte tried at
    // the start, inside a vector, across a vector's end and in the scalar tail.
    private const int Length = 77;
    private static readonly int[] Positions = [0, 5, 31, 32, 63, 76];

    [Fact]
    public void A_span_is_a_token_exactly_when_each_of_its_bytes_is_a_tchar()
    {
        EveryByteEverywhere((byte)'a', (span, b, _) => HttpCharacters.IsToken(span) == HttpCharacters.IsTokenChar(b));
        Assert.False(HttpCharacters.IsToken(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void The_first_byte_a_field_value_may_not_hold_is_found_where_it_is()
    {
        EveryByteEverywhere((byte)'v', (span, b, at) => HttpCharacters.IndexOfInvalidFieldValueByte(span) == (HttpCharacters.IsFieldValueByte(b) ? -1 : at));
        // NUL to US less HTAB, and DEL: obs-text (0x80 and up) is allowed.
        Assert.Equal(32, Enumerable.Range(0, 256).Count(b => !HttpCharacters.IsFieldValueByte((byte)b)));
    }

    [Fact]
    public void A_span_is_a_target_exactly_when_each_of_its_bytes_may_stand_in_one()
    {
        EveryByteEverywhere((byte)'/', (span, b, _) => HttpCharacters.IsTarget(span) == HttpCharacters.IsTargetByte(b));
    }

    /// <summary>Holds <paramref name="agrees"/> for each of the 256 bytes at each position of a span of <paramref name="fill"/>.</summary>
    private static void EveryByteEverywhere(byte fill, Func<byte[], byte, int, bool> agrees)
    {
        for (var b = 0; b < 256; b++)
        {
            foreach (var at in Positions)
            {
                var bytes = Enumerable.Repeat(fill, Length).ToArray();
                bytes[at] = (byte)b;
                Assert.True(agrees(bytes, (byte)b, at), $"byte 0x{b:X2} at {at}");
            }
        }
    }
}
