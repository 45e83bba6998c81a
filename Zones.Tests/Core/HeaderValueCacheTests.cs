using System.Text;
using Zones.Http;
using Zones.Tests.Properties;

namespace Zones.Tests.Core;

/// <summary>
/// A keep-alive connection parses each head with its memory of the last one (HeaderValueCache):
/// a field that repeats, in its place or moved, reuses the last head's strings. The memory may
/// only ever save an allocation: what a head parses to is what it parses to without it.
/// </summary>
public sealed class HeaderValueCacheTests
{
    private static RequestHead Parse(string head, HeaderValueCache? cache) =>
        RequestHeadParser.Parse(Encoding.Latin1.GetBytes(head), cache);

    private static string Head(params string[] fields) => "GET / HTTP/1.1\r\nHost: t\r\n" + string.Concat(fields.Select(f => f + "\r\n")) + "\r\n";

    [Fact]
    public void Fields_that_repeat_in_their_place_reuse_the_last_heads_strings()
    {
        var cache = new HeaderValueCache();
        var head = Head("User-Agent: Mozilla/5.0 (X11; Linux x86_64)", "X-Custom-Name: a value", "Accept: */*");
        var first = Parse(head, cache).Headers.ToList();
        var second = Parse(head, cache).Headers.ToList();
        Assert.Equal(first, second);
        for (var i = 0; i < first.Count; i++)
        {
            Assert.Same(first[i].Key, second[i].Key);
            Assert.Same(first[i].Value, second[i].Value);
        }
    }

    [Fact]
    public void A_field_that_moved_keeps_its_strings_and_a_changed_value_is_read_anew()
    {
        var cache = new HeaderValueCache();
        var first = Parse(Head("X-A: 1", "X-B: two", "Cookie: s=old"), cache).Headers.ToList();
        // One field more in front: every other field is one place later.
        var second = Parse(Head("X-New: n", "X-A: 1", "X-B: two", "Cookie: s=new"), cache).Headers.ToList();
        Assert.Equal(["Host: t", "X-New: n", "X-A: 1", "X-B: two", "Cookie: s=new"], second.Select(h => $"{h.Key}: {h.Value}"));
        Assert.Same(first[1].Key, second[2].Key); // "X-A", an unknown name, not made again
        Assert.Same(first[2].Value, second[3].Value);
    }

    [Fact]
    public void An_unknown_name_keeps_the_case_it_arrived_in_and_a_known_one_is_always_the_canonical_string()
    {
        var cache = new HeaderValueCache();
        Parse(Head("x-trace: 1", "user-agent: a"), cache);
        var second = Parse(Head("X-Trace: 1", "USER-AGENT: a"), cache).Headers.ToList();
        Assert.Equal("X-Trace", second[1].Key); // not the "x-trace" of the head before
        Assert.Same(HeaderNames.UserAgent, second[2].Key);
        Assert.Same(HeaderNames.Host, second[0].Key);
    }

    [Fact]
    public void Values_that_are_not_ascii_are_decoded_each_time_and_never_taken_for_another()
    {
        var cache = new HeaderValueCache();
        var utf8 = Encoding.UTF8.GetBytes("GET / HTTP/1.1\r\nHost: t\r\nX-Name: café\r\n\r\n");
        Assert.Equal("café", RequestHeadParser.Parse(utf8, cache).Headers["X-Name"]);
        Assert.Equal("cafe", Parse(Head("X-Name: cafe"), cache).Headers["X-Name"]);
        var latin1 = Encoding.Latin1.GetBytes("GET / HTTP/1.1\r\nHost: t\r\nX-Name: caf\u00e9\r\n\r\n"); // 0xE9 alone is not UTF-8
        Assert.Equal("caf\u00e9", RequestHeadParser.Parse(latin1, cache).Headers["X-Name"]);
        Assert.Equal("café", RequestHeadParser.Parse(utf8, cache).Headers["X-Name"]);
    }

    [Fact]
    public void Any_sequence_of_heads_parses_through_one_memory_as_each_does_alone()
    {
        // Random heads (seeded) one after another on one connection, each also parsed afresh.
        var cache = new HeaderValueCache();
        var heads = RequestGenerator.Generate(200, seed: 9173).Select(g => g.Text[..(g.Text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)]).ToList();
        // Each head twice in a row too, and the whole list again: repeats in place and out of place.
        foreach (var head in heads.SelectMany(h => new[] { h, h }).Concat(heads))
        {
            var alone = Parse(head, cache: null);
            var remembered = Parse(head, cache);
            Assert.Equal(alone.Headers.ToList(), remembered.Headers.ToList());
            Assert.Equal((alone.Target, alone.Path, alone.Host, alone.KeepAliveRequested), (remembered.Target, remembered.Path, remembered.Host, remembered.KeepAliveRequested));
        }
    }

    [Theory]
    [InlineData("X-A: ab\u0001c")]   // a control byte where the last head had a letter
    [InlineData("X-A: abc\u007f")]   // DEL after the same value
    [InlineData("X-A : abc")]         // whitespace before the colon
    [InlineData("X\u0001A: abc")]    // a name that is not a token
    public void A_field_that_differs_from_the_last_heads_by_a_byte_is_checked_again(string field)
    {
        // The same bytes in the same place skip the checks (they passed them before); any other are checked.
        var cache = new HeaderValueCache();
        var first = Parse(Head("X-A: abc"), cache).Headers.ToList();
        Assert.Throws<BadHttpRequestException>(() => Parse(Head(field), cache));
        var again = Parse(Head("X-A: abc"), cache).Headers.ToList();
        Assert.Equal(first, again);
    }

    [Fact]
    public void A_head_with_more_fields_than_are_remembered_parses_whole()
    {
        var cache = new HeaderValueCache();
        var head = Head([.. Enumerable.Range(0, 100).Select(i => $"X-F{i}: v{i}")]);
        Parse(head, cache);
        var fields = Parse(head, cache).Headers.ToList();
        Assert.Equal(101, fields.Count);
        Assert.Equal(("X-F99", "v99"), (fields[100].Key, fields[100].Value));
    }
}
