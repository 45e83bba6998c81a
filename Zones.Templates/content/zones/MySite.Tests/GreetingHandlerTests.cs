using Zones;
using Zones.Hosting;
using Zones.Testing;

namespace MySite.Tests;

/// <summary>The handler and the site, in memory with Zones.Testing: no socket, no port.</summary>
public sealed class GreetingHandlerTests
{
    [Fact]
    public async Task Greets_by_name()
    {
        var result = await ZoneTest.Request("GET /hello?name=Ada").RunAsync(new GreetingHandler(), "/hello");
        Assert.Equal(200, result.Status);
        Assert.Equal("Hello, Ada!", result.BodyText);
    }

    [Fact]
    public async Task Leaves_paths_below_its_zone_to_the_next()
    {
        var result = await ZoneTest.Request("GET /hello/there").RunAsync(new GreetingHandler(), "/hello");
        Assert.Equal(ZoneResultKind.Pass, result.Kind);
    }

    [Fact]
    public async Task The_site_greets_serves_its_index_and_404s()
    {
        var site = ZoneTest.Table(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "zones.json")),
            services => services.AddZoneHandler<GreetingHandler>("greeting"), folder: AppContext.BaseDirectory);
        Assert.Equal("Hello, World!", (await ZoneTest.Request("GET /hello").RunAsync(site)).BodyText);
        var index = await ZoneTest.Request("GET /").RunAsync(site);
        Assert.Equal(200, index.Status);
        Assert.Contains("<h1>MySite</h1>", index.BodyText);
        Assert.Equal(404, (await ZoneTest.Request("GET /nope").RunAsync(site)).Status);
    }
}
