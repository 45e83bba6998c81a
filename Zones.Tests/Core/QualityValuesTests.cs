using Zones.Http;

namespace Zones.Tests.Core;

public sealed class QualityValuesTests
{
    [Fact]
    public void Elements_are_sorted_by_quality_keeping_client_order_among_equals()
    {
        var parsed = QualityValues.Parse("gzip;q=0.5, br, deflate;q=0.5, identity;q=0, zstd");
        Assert.Equal(["br", "zstd", "gzip", "deflate", "identity"], parsed.Select(p => p.Value));
        Assert.Equal([1, 1, 0.5, 0.5, 0], parsed.Select(p => p.Quality));
    }

    [Fact]
    public void A_list_sent_on_several_lines_is_one_list()
    {
        var request = HttpRequest.Parse(System.Text.Encoding.ASCII.GetBytes(
            "GET / HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip;q=0.5\r\nAccept-Language: de\r\nAccept-Encoding: br\r\n\r\n"));
        Assert.Equal(["br", "gzip"], request.AcceptEncoding.Select(p => p.Value));
        Assert.Equal(["de"], request.AcceptLanguage.Select(p => p.Value));
        Assert.Empty(request.Accept);
    }

    [Fact]
    public void Media_type_parameters_other_than_q_are_kept()
    {
        var parsed = QualityValues.Parse("text/html;level=1;q=0.7, */*;q=0.1");
        Assert.Equal(new QualityValue("text/html;level=1", 0.7), parsed[0]);
        Assert.Equal(new QualityValue("*/*", 0.1), parsed[1]);
    }

    [Theory]
    [InlineData(null, "gzip", null)]
    [InlineData("gzip", "gzip", 1.0)]
    [InlineData("GZIP;q=0.3", "gzip", 0.3)]
    [InlineData("br", "gzip", 0.0)]
    [InlineData("*;q=0.2", "gzip", 0.2)]
    [InlineData("gzip;q=0, *", "gzip", 0.0)]
    [InlineData("gzip;q=bogus", "gzip", 1.0)]
    public void QualityOf_finds_the_token_or_the_wildcard(string? header, string token, double? expected) =>
        Assert.Equal(expected, QualityValues.QualityOf(header, token));
}
