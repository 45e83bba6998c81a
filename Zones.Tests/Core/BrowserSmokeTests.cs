using Zones.Tests.Infrastructure;

namespace Zones.Tests.Core;

public sealed class BrowserSmokeTests
{
    [Fact]
    public async Task Chromium_renders_a_page_served_by_zones()
    {
        await using var server = await TestServer.StartAsync(TestServer.Zone("/", _ => ZoneResult.Respond(
            ZoneResponse.Html("<!doctype html><title>zones ✓</title><p id=x>served</p><script>document.getElementById('x').textContent += ' and scripted'</script>"))));
        await using var session = await Browser.LaunchAsync();
        var page = await session.NewPageAsync();
        var response = await page.GotoAsync(server.BaseAddress + "page");
        Assert.Equal(200, response!.Status);
        Assert.Equal("zones ✓", await page.TitleAsync());
        Assert.Equal("served and scripted", await page.TextContentAsync("#x"));
    }
}
