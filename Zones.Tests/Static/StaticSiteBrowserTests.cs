using Microsoft.Playwright;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Static;

/// <summary>Chromium against the demo site from the repository's zones.json and www/.</summary>
public sealed class StaticSiteBrowserTests
{
    [Fact]
    public async Task The_demo_index_page_loads_its_style_sheet_and_logo()
    {
        await using var site = await DemoSite.StartAsync();
        await using var session = await Browser.LaunchAsync();
        var page = await session.NewPageAsync();
        var failed = new List<string>();
        page.Response += (_, r) => { if (r.Status >= 400) failed.Add($"{r.Status} {r.Url}"); };

        var response = await page.GotoAsync(site.BaseAddress.ToString(), new() { WaitUntil = WaitUntilState.Load });
        Assert.Equal(200, response!.Status);
        Assert.Equal("Zones", await page.TitleAsync());
        // style.css colours the heading; logo.svg decodes to its 64×64 size.
        Assert.Equal("rgb(11, 110, 79)", await page.EvalOnSelectorAsync<string>("h1", "e => getComputedStyle(e).color"));
        Assert.Equal(64, await page.EvalOnSelectorAsync<int>("#logo", "e => e.complete ? e.naturalWidth : -1"));
        Assert.Empty(failed);

        // The existing links still work, and the new folder is listed.
        foreach (var link in new[] { "/hello", "/vars", "/files/", "/style.css" })
            Assert.NotNull(await page.QuerySelectorAsync($"a[href='{link}']"));
        await page.ClickAsync("a[href='/files/']");
        await page.WaitForURLAsync("**/files/");
        Assert.Equal("Index of /files/", await page.TitleAsync());
        Assert.NotNull(await page.QuerySelectorAsync("a[href='/files/readme.txt']"));
        Assert.NotNull(await page.QuerySelectorAsync("a[href='/files/more/']"));

        var hello = await page.GotoAsync(site.BaseAddress + "hello");
        Assert.Equal("Hello, World!", await hello!.TextAsync());
    }

    [Fact]
    public async Task A_hostile_file_name_in_a_listing_does_not_run()
    {
        using var site = new StaticSite();
        site.Write("files/<img src=x onerror=alert(1)>.txt", "harmless");
        site.Write("files/<svg onload=alert(2)>.txt", "harmless");
        await using var server = await site.StartAsync();
        await using var session = await Browser.LaunchAsync();
        var page = await session.NewPageAsync();
        var dialogs = new List<string>();
        page.Dialog += async (_, d) => { dialogs.Add(d.Message); await d.DismissAsync(); };

        await page.GotoAsync(server.BaseAddress + "files/", new() { WaitUntil = WaitUntilState.Load });
        var names = await page.EvalOnSelectorAllAsync<string[]>("td a", "links => links.map(a => a.textContent)");
        Assert.Contains("<img src=x onerror=alert(1)>.txt", names);
        Assert.Contains("<svg onload=alert(2)>.txt", names);
        Assert.Equal(0, await page.EvalOnSelectorAllAsync<int>("img, svg, td script", "e => e.length"));
        Assert.Empty(dialogs);

        // The link, followed by the browser, fetches that very file.
        await page.ClickAsync("text=<img src=x onerror=alert(1)>.txt");
        Assert.Equal("harmless", await page.TextContentAsync("body"));
    }
}
