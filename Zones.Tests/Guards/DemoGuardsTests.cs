using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;
using Zones.Tests.Infrastructure;
using Zones.Tests.Static;

namespace Zones.Tests.Guards;

/// <summary>The guards of the demo zones.json as shipped: publish behind bearer, /admin behind basicauth, and a strict CSP that every demo page satisfies in Chromium.</summary>
public sealed class DemoGuardsTests
{
    /// <summary>The README's local token and the admin password of the demo.</summary>
    internal const string Token = "zones-demo-token";
    internal static readonly AuthenticationHeaderValue Admin = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:zones-demo")));

    [Fact]
    public async Task Publish_takes_the_demo_token_and_admin_lists_the_feeds_for_the_admin_user()
    {
        await using var site = await DemoSite.StartAsync();
        using var client = new HttpClient { BaseAddress = site.BaseAddress };
        using var refused = await client.PostAsync("/feeds/news", new StringContent("no token"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Bearer realm=\"publish\"", refused.Headers.WwwAuthenticate.ToString());
        using var publish = new HttpRequestMessage(HttpMethod.Post, "/feeds/news") { Content = new StringContent("guarded") };
        publish.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var published = await client.SendAsync(publish);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);

        using var anonymous = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("realm=\"Zones admin\"", anonymous.Headers.WwwAuthenticate.ToString());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin");
        request.Headers.Authorization = Admin;
        using var admin = await client.SendAsync(request);
        var page = await admin.Content.ReadAsStringAsync();
        Assert.Contains("Signed in as <strong>admin</strong>", page);
        Assert.Contains("<td>clock</td>", page);
        Assert.Matches(@"<td>news</td><td>(\w+:)?1</td>", page);
    }

    [Fact]
    public async Task Every_demo_page_carries_the_security_headers_and_reports_no_csp_violation_in_chromium()
    {
        await using var site = await DemoSite.StartAsync();
        await using var session = await Browser.LaunchAsync();
        var context = await session.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            HttpCredentials = new HttpCredentials { Username = "admin", Password = "zones-demo" },
        });
        // Recorded by the page itself from its first moment, before any of its own scripts run.
        await context.AddInitScriptAsync("""
            window.__violations = [];
            document.addEventListener('securitypolicyviolation', e => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
            """);
        var page = await context.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) console.Add(m.Text); };
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        string[] pages = ["/", "/live.html", "/chat.html?name=csp&room=csp", "/form.html?q=x", "/files/", "/vars", "/admin", "/hello"];
        foreach (var path in pages)
        {
            var response = await page.GotoAsync(new Uri(site.BaseAddress, path).ToString());
            Assert.True(response!.Ok, $"{path}: {response.Status}");
            var headers = await response.AllHeadersAsync();
            Assert.Contains("default-src", headers["content-security-policy"]);
            Assert.Equal("nosniff", headers["x-content-type-options"]);
            if (path == "/live.html") await page.WaitForFunctionAsync("() => document.getElementById('clock-state').textContent === 'connected'");
            if (path.StartsWith("/chat.html")) await page.WaitForSelectorAsync("body[data-state=connected]");
            var violations = await page.EvaluateAsync<string[]>("() => window.__violations");
            Assert.True(violations.Length == 0, $"{path}: {string.Join("; ", violations)}");
        }
        Assert.Empty(console);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_live_page_publishes_with_the_token_from_chromium()
    {
        await using var site = await DemoSite.StartAsync();
        await using var session = await Browser.LaunchAsync();
        var page = await session.NewPageAsync();
        await page.GotoAsync(new Uri(site.BaseAddress, "/live.html").ToString());
        await page.WaitForFunctionAsync("() => document.getElementById('clock-state').textContent === 'connected'");
        await page.FillAsync("#headline", "from the page");
        await page.ClickAsync("#publish button");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#news li').length === 1");
        Assert.Equal("from the page", await page.TextContentAsync("#news li"));

        await page.FillAsync("#token", "wrong");
        await page.FillAsync("#headline", "refused");
        await page.ClickAsync("#publish button");
        await page.WaitForFunctionAsync("() => document.getElementById('publish-state').textContent.includes('401')");
    }
}
