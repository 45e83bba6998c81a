using Microsoft.Playwright;

namespace Zones.Tests.Infrastructure;

/// <summary>
/// Headless Chromium through Playwright, using the system's Chromium — nothing is downloaded.
/// ZONES_CHROMIUM names the binary; otherwise chromium (or chromium-browser, google-chrome) is
/// looked up on PATH, then at the places distributions put the real binary. Tests call
/// <see cref="LaunchAsync"/>, which skips the test with the reason when there is none (fails it under CI=true).
/// </summary>
public static class Browser
{
    private static readonly string[] Names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
    private static readonly string[] KnownPaths = ["/usr/lib/chromium/chromium", "/usr/lib/chromium-browser/chromium-browser", "/snap/bin/chromium", "/opt/google/chrome/chrome"];

    /// <summary>The Chromium to run, or null with <paramref name="lookedFor"/> saying where it was looked for.</summary>
    public static string? FindChromium(out string lookedFor)
    {
        var configured = Environment.GetEnvironmentVariable("ZONES_CHROMIUM");
        if (!string.IsNullOrEmpty(configured))
        {
            lookedFor = $"ZONES_CHROMIUM={configured}, which does not exist";
            return File.Exists(configured) ? configured : null;
        }
        lookedFor = $"{string.Join(", ", Names)} on PATH, then {string.Join(", ", KnownPaths)}; ZONES_CHROMIUM=/path/to/chromium names another";
        foreach (var name in Names)
            if (Requires.Find(name) is { } onPath) return onPath;
        return KnownPaths.FirstOrDefault(File.Exists);
    }

    /// <summary>A fresh headless browser; dispose both the result's browser and Playwright. <paramref name="home"/> sets its HOME (where Chromium keeps its NSS certificate database).</summary>
    public static async Task<BrowserSession> LaunchAsync(string? home = null)
    {
        var path = FindChromium(out var lookedFor);
        if (path is null) Requires.Missing($"no Chromium was found (looked for {lookedFor}): apt-get install -y chromium");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = path,
                Headless = true,
                Env = home is null ? null : new Dictionary<string, string> { ["HOME"] = home },
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
