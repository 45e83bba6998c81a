using System.Text;
using Zones.Server;

namespace Zones.Tests.Server;

/// <summary>What the access log writes of a request line: an access_token value never, however the client spelled its name.</summary>
public sealed class AccessLogFieldsTests
{
    [Theory]
    [InlineData("/ws?access_token=secret", "/ws?access_token=***")]
    [InlineData("/ws?feed=news&Access_Token=secret&x=1", "/ws?feed=news&Access_Token=***&x=1")]
    [InlineData("/ws?access%5Ftoken=secret", "/ws?access%5Ftoken=***")]
    [InlineData("/ws?%61ccess_token=secret&q=%20", "/ws?%61ccess_token=***&q=%20")]
    [InlineData("/ws?my_access_token=kept&access_token", "/ws?my_access_token=kept&access_token")]
    [InlineData("/page?q=%41", "/page?q=%41")]
    [InlineData("/page", "/page")]
    public void An_access_token_value_is_hidden_however_its_name_is_written(string target, string logged)
    {
        Assert.Equal($"GET {logged} HTTP/1.1", AccessLogFields.RequestLine(Request(target)));
    }

    [Fact]
    public void A_percent_encoded_name_is_the_parameter_bearer_reads()
    {
        // Why the encoded spellings must be hidden: the query parser decodes names, so bearer takes the token from them.
        Assert.Equal("secret", Request("/ws?access%5Ftoken=secret").Query["access_token"]);
    }

    private static HttpRequest Request(string target) => HttpRequest.Parse(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: t\r\n\r\n"));
}
