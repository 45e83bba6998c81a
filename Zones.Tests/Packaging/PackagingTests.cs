using System.Net;
using System.Text.RegularExpressions;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Packaging;

/// <summary>
/// The three ways in that README's first section shows, as a user outside this repository takes
/// them, against the packages only (PackedFeed): dotnet new zones, then dotnet run and dotnet
/// test; and the zones tool, installed from the packages, serving a folder and checking a file.
/// Packing and restoring take a minute or two, so the tests run when ZONES_PACKAGING_TEST=1 or CI=true.
/// </summary>
[Collection(PublishingCollection.Name)]
public sealed partial class PackagingTests(PackedFeed feed) : IClassFixture<PackedFeed>
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(3);

    private static void SkipUnlessEnabled()
    {
        if (!PackedFeed.Enabled)
            Assert.Skip("packing and restoring the packages takes a minute or two: set ZONES_PACKAGING_TEST=1 to run it (CI=true does too)");
    }

    [Fact(Timeout = 5 * 60_000)]
    public async Task Dotnet_new_zones_gives_a_site_that_runs_its_handler_and_passes_its_tests()
    {
        SkipUnlessEnabled();
        string[] hive = ["--debug:custom-hive", feed.TemplateHive];
        await ChildProcess.MustRunAsync("dotnet", ["new", "install", feed.Package("Zones.Templates"), .. hive], feed.Workspace, Step);
        await ChildProcess.MustRunAsync("dotnet", ["new", "zones", "-n", "MySite", .. hive], feed.Workspace, Step);
        var site = Path.Combine(feed.Workspace, "MySite");
        Assert.True(File.Exists(Path.Combine(site, "MySite", "Program.cs")));
        Assert.True(File.Exists(Path.Combine(site, "MySite", "www", "index.html")));
        Assert.Contains($"Version=\"{feed.Version}\"", await File.ReadAllTextAsync(Path.Combine(site, "MySite", "MySite.csproj")));

        // The restore reads the workspace's nuget.config (above the site): the packed packages and the registry.
        await ChildProcess.MustRunAsync("dotnet", ["build", "-nologo"], site, Step);
        var assets = await File.ReadAllTextAsync(Path.Combine(site, "MySite", "obj", "project.assets.json"));
        Assert.Contains($"\"Zones.Hosting/{feed.Version}\"", assets);
        // Published with native AOT, the site's compiler gets the package's list of the generic types a start resolves.
        var aotItems = await ChildProcess.MustRunAsync("dotnet", ["msbuild", Path.Combine("MySite", "MySite.csproj"), "-getItem:RdXmlFile", "-p:PublishAot=true"], site, Step);
        Assert.Contains("buildTransitive/Zones.Hosting.rd.xml", aotItems.Replace('\\', '/'));

        using (var running = ChildProcess.Start("dotnet", ["run", "--project", "MySite", "--no-build", "--", "--urls", "http://127.0.0.1:0"], site))
        {
            try
            {
                var url = await TestHost.ReadListeningUrlAsync(running);
                using var client = new HttpClient { BaseAddress = new Uri(url) };
                Assert.Equal("Hello, packages!", await client.GetStringAsync("/hello?name=packages"));
                Assert.Contains("<h1>MySite</h1>", await client.GetStringAsync("/"));
            }
            finally
            {
                running.Kill(entireProcessTree: true);
                await running.WaitForExitAsync();
            }
        }

        var tests = await ChildProcess.MustRunAsync("dotnet", ["test", "--no-build", "-nologo"], site, Step);
        Assert.Matches(@"Passed:\s+3\b", tests);
    }

    [Fact(Timeout = 5 * 60_000)]
    public async Task The_zones_tool_installs_from_the_packages_serves_a_folder_and_checks_a_file()
    {
        SkipUnlessEnabled();
        var tools = Path.Combine(feed.Workspace, "tools");
        await ChildProcess.MustRunAsync("dotnet", ["tool", "install", "--tool-path", tools, "--add-source", feed.Feed, "--version", feed.Version, "zones"], feed.Workspace, Step);
        var zones = Path.Combine(tools, "zones");
        Assert.StartsWith($"zones {feed.Version}", await ChildProcess.MustRunAsync(zones, ["version"], feed.Workspace, Step));

        var folder = Directory.CreateDirectory(Path.Combine(feed.Workspace, "served")).FullName;
        Directory.CreateDirectory(Path.Combine(folder, "notes"));
        await File.WriteAllTextAsync(Path.Combine(folder, "notes", "today.txt"), "served by the tool");
        using (var serving = ChildProcess.Start(zones, ["serve", folder, "--browse", "--listen", "127.0.0.1:0"], feed.Workspace))
        {
            try
            {
                var url = await TestHost.ReadListeningUrlAsync(serving);
                using var client = new HttpClient { BaseAddress = new Uri(url) };
                Assert.Equal("served by the tool", await client.GetStringAsync("/notes/today.txt"));
                Assert.Contains("today.txt", await client.GetStringAsync("/notes/"));
                using var missing = await client.GetAsync("/notes/tomorrow.txt");
                Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            }
            finally
            {
                serving.Kill(entireProcessTree: true);
                await serving.WaitForExitAsync();
            }
        }

        var broken = Path.Combine(feed.Workspace, "broken.json");
        await File.WriteAllTextAsync(broken, """{ "Zones": [ { "Prefix": "/", "Handler": "staticfiel", "Root": "." } ] }""");
        var check = await ChildProcess.RunAsync(zones, ["check", broken], feed.Workspace, Step);
        Assert.Equal(1, check.Exit);
        Assert.Matches(UnknownHandler(), check.Error);
    }

    [GeneratedRegex(@"broken\.json: Zones\[0\] \(Prefix ""/""\): unknown handler ""staticfiel""; use one of: .*staticfile")]
    private static partial Regex UnknownHandler();
}

/// <summary>Tests that publish or pack the repository's projects run one at a time: both restore the same projects, the native publish for a runtime.</summary>
[CollectionDefinition(Name)]
public sealed class PublishingCollection
{
    public const string Name = "Publishing";
}
