using System.Diagnostics.CodeAnalysis;

namespace Zones.Tests.Infrastructure;

/// <summary>
/// What a test needs from the machine (a tool, an operating system). Outside CI a missing need
/// skips the test with the reason; with CI=true it fails the test with the same reason, so a
/// green CI run means every test ran.
/// </summary>
public static class Requires
{
    /// <summary>True when the environment variable CI is "true" (or "1"), as CI services and .ci/run set it.</summary>
    public static bool InCI => Environment.GetEnvironmentVariable("CI")?.Trim().ToLowerInvariant() is "true" or "1";

    /// <summary>Skips the test, or under CI=true fails it, saying what is missing.</summary>
    [DoesNotReturn]
    public static void Missing(string what)
    {
        if (InCI) Assert.Fail($"CI=true, so this test must run, but {what}");
        Assert.Skip(what);
    }

    /// <summary>The full path of <paramref name="name"/> on PATH (or at one of <paramref name="alsoAt"/>); a missing tool is <see cref="Missing"/>.</summary>
    public static string Tool(string name, string install, params string[] alsoAt)
    {
        var path = Find(name, alsoAt);
        if (path is null) Missing($"\"{name}\" is not installed (not on PATH{(alsoAt.Length > 0 ? " nor at " + string.Join(", ", alsoAt) : "")}): {install}");
        return path;
    }

    public static void Linux(string why)
    {
        if (!OperatingSystem.IsLinux()) Missing($"it runs on Linux only ({why})");
    }

    /// <summary>The first executable file named <paramref name="name"/> in a PATH folder, then at the given full paths; null if none.</summary>
    public static string? Find(string name, params string[] alsoAt)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return folders.Select(folder => Path.Combine(folder, name)).Concat(alsoAt).FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}
