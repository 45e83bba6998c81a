using System.Reflection;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.PublicApi;

/// <summary>
/// The packages' public API is what their users compile against: a change to it is a decision,
/// not a side effect. Each packed assembly's surface (<see cref="PublicApiListing"/>) is compared
/// with its checked-in baseline, Zones.Tests/PublicApi/ASSEMBLY.txt; a difference fails with the
/// lines added and removed, and the command that accepts it rewrites the baselines, so the change
/// shows in the diff a reviewer reads.
/// </summary>
public sealed class PublicApiTests
{
    public const string AcceptVariable = "ZONES_ACCEPT_API";
    private const string AcceptCommand = $"{AcceptVariable}=1 dotnet test Zones.Tests --filter FullyQualifiedName~PublicApi";

    public static TheoryData<string> PackedAssemblies() => new(PackedAssembly.All.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(PackedAssemblies))]
    public void The_public_API_is_the_checked_in_baseline(string assemblyName)
    {
        var actual = PublicApiListing.Of(PackedAssembly.All[assemblyName]);
        var path = BaselinePath(assemblyName);
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllLines(path, actual);
            return;
        }
        var expected = File.Exists(path) ? File.ReadAllLines(path) : [];
        var difference = ApiDifference.Between(expected, actual);
        Assert.True(difference.IsEmpty,
            $"The public API of {assemblyName} differs from {Path.GetFileName(path)}:\n{difference}\n" +
            $"If the change is meant, accept it (then review and commit the baseline):\n  {AcceptCommand}");
    }

    [Fact]
    public void Every_packed_project_has_a_baseline_and_every_baseline_a_packed_project()
    {
        var folder = Path.GetDirectoryName(BaselinePath("x"))!;
        var baselines = Directory.GetFiles(folder, "*.txt").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(PackedAssembly.All.Keys.Order(StringComparer.Ordinal), baselines);
        Assert.Equal(PackedAssembly.All.Keys.Order(StringComparer.Ordinal), PackedAssembly.ProjectsThatOptIn().Order(StringComparer.Ordinal));
    }

    private static string BaselinePath(string assemblyName) =>
        Path.Combine(Path.GetDirectoryName(TestHost.RepositoryFile("zones.json"))!, "Zones.Tests", "PublicApi", assemblyName + ".txt");
}

/// <summary>The assemblies the repository packs, and the projects that say <c>&lt;ZonesPackage&gt;true&lt;/ZonesPackage&gt;</c>, which must be the same.</summary>
public static class PackedAssembly
{
    public static readonly IReadOnlyDictionary<string, Assembly> All = new[]
    {
        typeof(ZoneResponse).Assembly,
        typeof(Zones.Handlers.BuiltInHandlers).Assembly,
        typeof(Zones.Hosting.ZonesHost).Assembly,
        typeof(Zones.Redis.RedisFeeds).Assembly,
        typeof(Zones.Testing.ZoneTest).Assembly,
    }.ToDictionary(a => a.GetName().Name!);

    public static IEnumerable<string> ProjectsThatOptIn()
    {
        var root = Path.GetDirectoryName(TestHost.RepositoryFile("zones.json"))!;
        return Directory.EnumerateFiles(root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(p => File.ReadAllText(p).Contains("<ZonesPackage>true</ZonesPackage>", StringComparison.Ordinal))
            // A tool's package carries a program and a template's package source files: neither is an API to compile against.
            .Where(p => !File.ReadAllText(p).Contains("<PackAsTool>true</PackAsTool>", StringComparison.Ordinal)
                && !File.ReadAllText(p).Contains("<PackageType>Template</PackageType>", StringComparison.Ordinal))
            .Select(Path.GetFileNameWithoutExtension).OfType<string>();
    }
}
