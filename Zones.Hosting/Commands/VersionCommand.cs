using System.Reflection;

namespace Zones.Hosting.Commands;

/// <summary><c>zones version</c>: the packages' version (Directory.Build.targets' ZonesVersion, with the commit when built from git) and the runtime's.</summary>
internal static class VersionCommand
{
    public static string Version { get; } =
        typeof(ZonesHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static string Text => $"zones {Version} (.NET {Environment.Version})";
}
