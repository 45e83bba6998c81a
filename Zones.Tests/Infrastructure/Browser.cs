using Microsoft.Playwright;

namespace Zones.Tests.Infrastructure;

/// <summary>
/// Headless Chromium through Playwright, using the system's Chromium (Debian's /usr/bin/chromium;
/// ZONES_CHROMIUM overrides) — nothing is downloaded. Tests call <see cref="LaunchAsync"/>,
/// which skips the test with the reason when no Chromium is installed.
/// </summary>
public static class Browser
{
    public static string? ChromiumPath
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("ZONES_CHROMIUM");
            if (!string.IsNullOrEmpty(configured)) return File.Exists(configured) ? configured : null;
            return new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);
        }
    }

    /// <summary>A fresh headless browser; dispose both the result's browser and Playwright.</summary>
    public static async Task<BrowserSession> LaunchAsync()
    {
        var path = ChromiumPath;
        if (path is null)
            Assert.Skip("No Chromium found (looked for /usr/bin/chromium, or ZONES_CHROMIUM); install it with: apt-get install -y chromium");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = path,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
            });
            return new BrowserSession(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}

public sealed class BrowserSession(IPlaywright playwright, IBrowser browser) : IAsyncDisposable
{
    public IBrowser Browser { get; } = browser;

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync();
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
    }
}
