using System.Net;

namespace Zones.Tests.Static;

/// <summary>The repository's zones.json as shipped: Wibble's chain with templatefile between staticfile and dirlist.</summary>
public sealed class DemoChainTests
{
    [Fact]
    public async Task The_demo_chain_serves_files_templates_listings_and_hides_template_sources()
    {
        await using var site = await DemoSite.StartAsync();
        using var client = new HttpClient { BaseAddress = site.BaseAddress };

        using var index = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Contains("/form.html", await index.Content.ReadAsStringAsync());

        using var form = await client.GetAsync("/form.html?name=w%C3%BCbble");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Equal("text/html", form.Content.Headers.ContentType!.MediaType);
        var page = await form.Content.ReadAsStringAsync();
        Assert.Contains("wübble", page);
        Assert.DoesNotContain("{%", page);

        // The template sources and partials are never served raw, nor listed.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/form.html.liquid")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/_layout.liquid")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/FORM.HTML.LIQUID")).StatusCode);

        using var listing = await client.GetAsync("/files/");
        Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
        Assert.Equal(HttpStatusCode.MovedPermanently, (await new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = site.BaseAddress }.GetAsync("/files")).StatusCode);
        Assert.Equal("Hello, World!", await client.GetStringAsync("/hello"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/no-such-page")).StatusCode);
    }
}
