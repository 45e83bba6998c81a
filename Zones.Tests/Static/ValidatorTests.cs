using Zones.Http;
using Zones.Handlers.Static;

namespace Zones.Tests.Static;

public sealed class ValidatorTests
{
    private const string Tag = "\"abc-12\"";

    [Fact]
    public void A_file_tag_is_strong_and_changes_with_length_and_time()
    {
        var time = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var tag = EntityTag.ForFile(100, time);
        Assert.StartsWith("\"", tag);
        Assert.False(EntityTag.IsWeak(tag));
        Assert.NotEqual(tag, EntityTag.ForFile(101, time));
        Assert.NotEqual(tag, EntityTag.ForFile(100, time.AddMilliseconds(1)));
        Assert.NotEqual(tag, EntityTag.ForFile(100, time, "br"));
        Assert.Equal("W/" + tag, EntityTag.Weaken(tag));
    }

    [Theory]
    [InlineData("\"abc-12\"", true, true)]
    [InlineData("W/\"abc-12\"", false, true)]
    [InlineData("\"other\", \"abc-12\"", true, true)]
    [InlineData("\"other\",W/\"abc-12\"", false, true)]
    [InlineData("*", true, true)]
    [InlineData("\"a,b\", \"abc-12\"", true, true)]  // a comma inside a tag does not split it
    [InlineData("\"abc-12", false, false)]             // unterminated
    [InlineData("abc-12", false, false)]               // unquoted
    [InlineData("\"ABC-12\"", false, false)]           // tags are case-sensitive
    [InlineData("", false, false)]
    public void Tag_lists_match_strongly_and_weakly(string field, bool strong, bool weak)
    {
        Assert.Equal(strong, EntityTag.ListMatches([field], Tag, weak: false));
        Assert.Equal(weak, EntityTag.ListMatches([field], Tag, weak: true));
    }

    [Fact]
    public void Several_field_lines_count_as_one_list()
    {
        Assert.True(EntityTag.ListMatches(["\"x\"", "\"abc-12\""], Tag, weak: true));
    }

    [Fact]
    public void A_weak_current_tag_never_matches_strongly()
    {
        Assert.False(EntityTag.StrongEquals("W/\"abc\"", "W/\"abc\""));
        Assert.True(EntityTag.WeakEquals("W/\"abc\"", "\"abc\""));
    }

    [Theory]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMT")]
    [InlineData("Sunday, 06-Nov-94 08:49:37 GMT")]
    [InlineData("Sun Nov  6 08:49:37 1994")]
    public void All_three_http_date_forms_parse(string text)
    {
        Assert.True(HttpDate.TryParse(text, out var date));
        Assert.Equal(new DateTimeOffset(1994, 11, 6, 8, 49, 37, TimeSpan.Zero), date);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("Sun, 06 Nov 1994 08:49:37")]
    [InlineData("")]
    public void Other_dates_do_not_parse(string text) => Assert.False(HttpDate.TryParse(text, out _));

    [Fact]
    public void Dates_are_formatted_as_imf_fixdate()
    {
        Assert.Equal("Sun, 06 Nov 1994 08:49:37 GMT", HttpDate.Format(new DateTimeOffset(1994, 11, 6, 8, 49, 37, 123, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("gzip, deflate, br", true, true, "br")]
    [InlineData("gzip, deflate, br", false, true, "gzip")]
    [InlineData("gzip, deflate, br", true, false, "br")]
    [InlineData("br;q=0.5, gzip;q=0.8", true, true, "gzip")]
    [InlineData("gzip;q=1, br;q=1", true, true, "br")]   // a tie goes to br
    [InlineData("br;q=0, gzip", true, true, "gzip")]
    [InlineData("x-gzip", true, true, "gzip")]
    [InlineData("*", true, true, "br")]
    [InlineData("*;q=0", true, true, null)]
    [InlineData("identity", true, true, null)]
    [InlineData("deflate", true, true, null)]
    [InlineData("gzip;q=0.5, identity", true, true, null)] // identity ranked higher
    [InlineData("gzip, br", false, false, null)]
    public void The_coding_follows_the_clients_weights(string header, bool brotli, bool gzip, string? expected)
    {
        Assert.Equal(expected, ContentCoding.Choose(QualityValues.Parse(header), brotli, gzip));
    }

    [Fact]
    public void No_accept_encoding_means_identity()
    {
        Assert.Null(ContentCoding.Choose(QualityValues.Parse(null), true, true));
    }
}
