using System.Globalization;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Packaging;

/// <summary>
/// The repository's packages, packed once for the packaging tests into a folder, with a
/// workspace outside the repository whose nuget.config reads that folder and the machine's own
/// sources. The version is unique to the run (0.1.0-ci.N), so no package cache can hand back an
/// older build; the packages folder is the workspace's own (the user's is only a read-only
/// fallback for the registry's packages), so the run leaves nothing behind in it.
/// </summary>
public sealed class PackedFeed : IAsyncLifetime
{
    public static bool Enabled => Environment.GetEnvironmentVariable("ZONES_PACKAGING_TEST") == "1" || Requires.InCI;

    public string Workspace { get; } = Directory.CreateTempSubdirectory("zones-packaging-").FullName;
    public string Feed => Path.Combine(Workspace, "feed");
    public string TemplateHive => Path.Combine(Workspace, "template-hive");
    public string Version { get; } = "0.1.0-ci." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
    public static string Repository => Path.GetDirectoryName(TestHost.RepositoryFile("zones.json"))!;

    private static readonly string[] Packed = ["Zones.Core", "Zones.Handlers", "Zones.Hosting", "Zones.Redis", "Zones.Testing", "Zones.Tool", "Zones.Templates"];

    public async ValueTask InitializeAsync()
    {
        if (!Enabled) return;
        // One pack of every packed project (a solution filter), not one dotnet process per project.
        var filter = Path.Combine(Workspace, "packages.slnf");
        var projects = string.Join(", ", Packed.Select(p => $"\"{p}/{p}.csproj\""));
        await File.WriteAllTextAsync(filter, $$"""{ "solution": { "path": "{{Path.Combine(Repository, "Zones.sln")}}", "projects": [ {{projects}} ] } }""");
        await ChildProcess.MustRunAsync("dotnet", ["pack", filter, "-c", "Release", "-o", Feed, $"-p:ZonesVersion={Version}", "-nologo"], Repository, TimeSpan.FromMinutes(4));

        var sources = (await ChildProcess.MustRunAsync("dotnet", ["nuget", "list", "source", "--format", "short"], Workspace, TimeSpan.FromMinutes(1)))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("E ", StringComparison.Ordinal)).Select(l => l[2..].Trim()).ToList();
        var userPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        await File.WriteAllTextAsync(Path.Combine(Workspace, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(Workspace, "packages")}" />
              </config>
              <fallbackPackageFolders>
                <add key="user" value="{userPackages}" />
              </fallbackPackageFolders>
              <packageSources>
                <clear />
                <add key="zones" value="{Feed}" />
            {string.Concat(sources.Select((s, i) => $"    <add key=\"registry{i}\" value=\"{s}\" />\n"))}  </packageSources>
            </configuration>
            """);
    }

    public string Package(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    public ValueTask DisposeAsync()
    {
        Directory.Delete(Workspace, recursive: true);
        return ValueTask.CompletedTask;
    }
}
