using System.Net;
using Microsoft.Extensions.Hosting;
using Zones.Hosting;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Static;

/// <summary>The static handlers configured from zones.json: options bind, bad values are refused at start.</summary>
public sealed class StaticConfigTests : IDisposable
{
    private readonly StaticSite _site = new();

    public void Dispose() => _site.Dispose();

    private string WriteZones(string zones)
    {
        var path = Path.Combine(_site.Folder, "zones.json");
        File.WriteAllText(path, $$"""{ "Zones": [ {{zones}} ] }""");
        return path;
    }

    private static Task<IHost> StartAsync(string zoneFile) => TestHost.StartAsync(["--zones", zoneFile, "--urls", "http://127.0.0.1:0"]);

    [Fact]
    public async Task The_chain_runs_from_zones_json_with_its_options()
    {
        _site.Write("a/start.htm", "start page");
        _site.Write("b/home.html", "home page");
        _site.Write("notes.md", "# notes");
        var path = WriteZones("""
            { "Prefix": "/", "Handler": "dirslash", "Root": "site" },
            { "Prefix": "/a", "Handler": "indexfile", "Root": "site/a", "IndexFile": "start.htm" },
            { "Prefix": "/", "Handler": "indexfile", "Root": "site", "IndexFile": [ "index.html", "home.html" ] },
            { "Prefix": "/", "Handler": "contenttype", "TypeTable": { ".md": "text/markdown" } },
            { "Prefix": "/", "Handler": "staticfile", "Root": "site", "CacheControl": "public, max-age=60", "Compress": true, "CompressMinSize": 1 },
            { "Prefix": "/", "Handler": "dirlist", "Root": "site" },
            { "Prefix": "/", "Handler": "notfound" }
            """);
        using var host = await StartAsync(path);
        var server = TestHost.ServerOf(host);
        using var client = new HttpClient { BaseAddress = new Uri(server.Urls[0]) };
        Assert.Equal("start page", await client.GetStringAsync("/a/"));
        Assert.Equal("home page", await client.GetStringAsync("/b/"));
        using var notes = await client.SendAsync("GET", "/notes.md", ("Accept-Encoding", "gzip"));
        Assert.Equal("text/markdown; charset=utf-8", notes.Header("Content-Type"));
        Assert.Equal("public, max-age=60", notes.Header("Cache-Control"));
        Assert.Equal("gzip", notes.Header("Content-Encoding"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/missing")).StatusCode);
        await host.StopAsync();
    }

    [Fact]
    public async Task Bad_static_options_are_refused_at_start_each_with_its_fix()
    {
        var path = WriteZones("""
            { "Prefix": "/", "Handler": "staticfile" },
            { "Prefix": "/", "Handler": "indexfile", "Root": "site", "IndexFile": [ "ok.html", "../up.html" ] },
            { "Prefix": "/", "Handler": "contenttype", "TypeTable": { "md": "markdown" } },
            { "Prefix": "/", "Handler": "staticfile", "Root": "site", "Compres": true },
            { "Prefix": "/", "Handler": "staticfile", "Root": "site", "CompressMinSize": -1 },
            { "Prefix": "/", "Handler": "dirlist" }
            """);
        var e = await Assert.ThrowsAsync<ZoneConfigurationException>(() => StartAsync(path));
        Assert.Equal(6, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.StartsWith("Zones[0]") && p.Contains("needs a \"Root\""));
        Assert.Contains(e.Problems, p => p.StartsWith("Zones[1]") && p.Contains("\"../up.html\" is not a file name"));
        Assert.Contains(e.Problems, p => p.StartsWith("Zones[2]") && p.Contains("\"markdown\" is not a media type"));
        Assert.Contains(e.Problems, p => p.StartsWith("Zones[3]") && p.Contains("unknown option \"Compres\"") && p.Contains("Compress"));
        Assert.Contains(e.Problems, p => p.StartsWith("Zones[4]") && p.Contains("\"CompressMinSize\" -1"));
        Assert.Contains(e.Problems, p => p.StartsWith("Zones[5]") && p.Contains("needs a \"Root\""));
    }
}
