using System.Text;
using Zones.Http;

namespace Zones.Tests.Core;

public sealed class RequestPathTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/a/b", "/a/b")]
    [InlineData("/a/./b", "/a/b")]
    [InlineData("/a/../b", "/b")]
    [InlineData("/../../x", "/x")]
    [InlineData("/a/b/..", "/a/")]
    [InlineData("/a/.", "/a/")]
    [InlineData("/..", "/")]
    [InlineData("/%2e%2e/%2E%2E/etc", "/etc")]
    [InlineData("/a%2Fb", "/a%2Fb")]
    [InlineData("/a%2fb", "/a%2Fb")]
    [InlineData("/caf%C3%A9", "/café")]
    [InlineData("/a%20b", "/a b")]
    [InlineData("//double//slash", "//double//slash")]
    [InlineData("/a/..%2f..%2fetc", "/a/..%2F..%2Fetc")] // one segment, not "..": the encoded slashes are data
    [InlineData("/index.html", "/index.html")]
    [InlineData("/.well-known/x", "/.well-known/x")]
    public void Paths_are_decoded_once_and_normalised(string raw, string expected) =>
        Assert.Equal(expected, RequestPath.Decode(Encoding.ASCII.GetBytes(raw)));

    [Theory]
    [InlineData("/%00")]
    [InlineData("/%zz")]
    [InlineData("/%4")]
    [InlineData("/%C0%AE")]
    [InlineData("/%FF")]
    public void Undecodable_paths_are_bad_requests(string raw)
    {
        var e = Assert.Throws<BadHttpRequestException>(() => RequestPath.Decode(Encoding.ASCII.GetBytes(raw)));
        Assert.Equal(400, e.Status);
    }

    [Fact]
    public void Percent_encoded_percent_is_decoded_only_once()
    {
        // "%252e" is "%2e" after one decoding, which must stay literal, not become ".".
        Assert.Equal("/%2e%2e/x", RequestPath.Decode("/%252e%252e/x"u8));
    }
}
