using Zones.Testing;

namespace Zones.Tests.Testing;

/// <summary>Wibble's small handlers — forbidden, redirect, vars — from a zones.json table, on the test kit (no socket).</summary>
public sealed class SimpleHandlerTests
{
    private static readonly ZoneTestTable Site = ZoneTest.Table("""
        { "Zones": [
            { "Prefix": "/private", "Handler": "forbidden" },
            { "Prefix": "/old", "Handler": "redirect", "Location": "/new" },
            { "Prefix": "/gone", "Handler": "redirect", "Location": "https://example.org/x", "Status": 307 },
            { "Prefix": "/vars", "Handler": "vars" },
            { "Prefix": "/", "Handler": "notfound" } ] }
        """);

    [Theory]
    [InlineData("/private", 403)]
    [InlineData("/private/", 403)]
    [InlineData("/private/secret.txt", 403)]
    [InlineData("/privateer", 404)] // not inside the zone
    public async Task Forbidden_answers_403_for_its_whole_zone_and_nothing_else(string path, int expected)
    {
        Assert.Equal(expected, (await ZoneTest.Request($"GET {path}").RunAsync(Site)).Status);
    }

    [Fact]
    public async Task Redirect_sends_301_to_its_location_by_default_and_the_configured_status_otherwise()
    {
        var moved = await ZoneTest.Request("GET /old/page?x=1").RunAsync(Site);
        Assert.Equal(301, moved.Status);
        Assert.Equal("/new", moved.Headers["Location"]);
        var temporary = await ZoneTest.Request("POST /gone").WithBody("body").RunAsync(Site);
        Assert.Equal(307, temporary.Status);
        Assert.Equal("https://example.org/x", temporary.Headers["Location"]);
    }

    [Fact]
    public async Task Vars_escapes_every_value_a_client_controls()
    {
        // The hostile target and headers reach the handler exactly as a client would send them.
        var response = await ZoneTest.Request("GET /vars/%3Cscript%3Ealert(1)%3C/script%3E?q=%3Csvg/onload=alert(2)%3E")
            .WithHeader("X-Evil", "<img src=x onerror=alert(3)>").WithHeader("X-Quoted", "\"quoted\" & <b>more</b>")
            .RunAsync(Site);
        Assert.Equal(200, response.Status);
        var html = response.BodyText;
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("&lt;img src=x onerror=alert(3)&gt;", html);
        Assert.Contains("&quot;quoted&quot; &amp; &lt;b&gt;more&lt;/b&gt;", html);
    }
}
