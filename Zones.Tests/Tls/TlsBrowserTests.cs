using Zones.Tests.Infrastructure;

namespace Zones.Tests.Tls;

/// <summary>Chromium with the test authority trusted (in its NSS database, as a user's or a company's would be) opens the demo over HTTPS.</summary>
public sealed class TlsBrowserTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task The_demo_chat_works_over_wss_in_chromium_trusting_the_test_authority()
    {
        var certutil = Requires.Tool("certutil", "apt-get install libnss3-tools");
        var home = Path.Combine(_certificates.Folder, "home");
        var database = "sql:" + Path.Combine(home, ".pki", "nssdb");
        Directory.CreateDirectory(Path.Combine(home, ".pki", "nssdb"));
        Assert.Equal(0, (await HttpsTests.RunAsync(certutil, $"-d {database} -N --empty-password")).Exit);
        var (added, output) = await HttpsTests.RunAsync(certutil, $"-d {database} -A -t C,, -n zones-test-ca -i {_certificates.AuthorityPath}");
        Assert.True(added == 0, output);

        var (certificate, key) = _certificates.WritePem(_certificates.Server(), "server");
        using var host = await TestHost.StartAsync(["--zones", TestHost.RepositoryFile("zones.json"), "--urls", "https://127.0.0.1:0",
            "--Server:Tls:Certificate:Path", certificate, "--Server:Tls:Certificate:KeyPath", key],
            services => Zones.Host.DemoHandlers.AddDemoHandlers(services)); // as Program.cs does
        var port = TestHost.ServerOf(host).EndPoints[0].Port;

        await using var session = await Browser.LaunchAsync(home);
        var ann = await session.NewPageAsync();
        var bob = await session.NewPageAsync();
        var errors = new List<string>();
        foreach (var p in new[] { ann, bob }) p.PageError += (_, e) => errors.Add(e);
        var response = await ann.GotoAsync($"https://localhost:{port}/chat.html?name=ann&room=tls");
        Assert.Equal(200, response!.Status);
        Assert.NotNull(await response.SecurityDetailsAsync()); // the page came over TLS the browser trusts
        // Connected: over wss, since a page served over https may not open a plain ws:// socket.
        await ann.WaitForSelectorAsync("body[data-state=connected]");
        await bob.GotoAsync($"https://localhost:{port}/chat.html?name=bob&room=tls");
        await bob.WaitForSelectorAsync("body[data-state=connected]");
        await ann.FillAsync("#text", "over wss");
        await ann.PressAsync("#text", "Enter");
        var line = await bob.WaitForSelectorAsync("#log li.message:has-text('over wss')");
        Assert.Equal("ann: over wss", await line!.TextContentAsync());
        Assert.Empty(errors);
    }
}
