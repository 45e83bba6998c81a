using System.Diagnostics;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Static;

/// <summary>
/// Runs Zones.Host as the unprivileged user "nobody" (setpriv, from util-linux), for checks that
/// mean nothing under root — such as a file the server is not allowed to read. Nobody may not be
/// able to reach the checkout (a 0700 home or mktemp folder), so the program and the site are
/// copied to a folder of its own that nobody can read; nothing outside that folder is touched.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class UnprivilegedHost
{
    private const UnixFileMode ReadableByAll = (UnixFileMode)0b110_100_100;
    private const UnixFileMode OpenToAll = (UnixFileMode)0b111_101_101;

    public static async Task<int> GetStatusAsync(string root, string path)
    {
        var setpriv = Requires.Tool("setpriv", "running as root, the test needs it to start the server as an unprivileged user: apt-get install -y util-linux");
        // /tmp rather than TMPDIR: /tmp is open to every user, a private TMPDIR may not be.
        var folder = Directory.CreateDirectory(Path.Combine("/tmp", "zones-nobody-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            File.SetUnixFileMode(folder, OpenToAll);
            var program = CopyProgram(Path.Combine(folder, "program"));
            var site = Path.Combine(folder, "site");
            CopySite(root, site);
            var zones = Path.Combine(folder, "zones.json");
            await File.WriteAllTextAsync(zones, $$"""
                { "Zones": [
                    { "Prefix": "/", "Handler": "staticfile", "Root": "{{site}}" },
                    { "Prefix": "/", "Handler": "notfound" } ] }
                """);
            File.SetUnixFileMode(zones, ReadableByAll);
            var start = new ProcessStartInfo(setpriv,
                ["--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", "exec", program, "--zones", zones, "--urls", "http://127.0.0.1:0"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = folder, // the host's content root: ours may be out of nobody's reach too
            };
            start.Environment["DOTNET_CLI_HOME"] = folder;
            start.Environment["HOME"] = folder;
            using var process = Process.Start(start)!;
            try
            {
                var url = await TestHost.ReadListeningUrlAsync(process);
                using var client = new HttpClient();
                using var response = await client.GetAsync(url + path);
                return (int)response.StatusCode;
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Zones.Host.dll with its runtime files and the assemblies beside the tests (a superset of what it loads); returns the dll's path.</summary>
    private static string CopyProgram(string target)
    {
        Directory.CreateDirectory(target);
        File.SetUnixFileMode(target, OpenToAll);
        var files = Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll")
            .Append(Path.Combine(AppContext.BaseDirectory, "Zones.Host.deps.json"))
            .Append(Path.Combine(AppContext.BaseDirectory, "Zones.Host.runtimeconfig.json"));
        foreach (var file in files)
        {
            var copy = Path.Combine(target, Path.GetFileName(file));
            File.Copy(file, copy);
            File.SetUnixFileMode(copy, ReadableByAll);
        }
        return Path.Combine(target, "Zones.Host.dll");
    }

    /// <summary>The site as it is, each file with its own mode (an unreadable file stays unreadable), its folders open.</summary>
    private static void CopySite(string source, string target)
    {
        Directory.CreateDirectory(target);
        File.SetUnixFileMode(target, OpenToAll);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            var copy = Path.Combine(target, Path.GetFileName(file));
            File.Copy(file, copy);
            File.SetUnixFileMode(copy, File.GetUnixFileMode(file));
        }
        foreach (var folder in Directory.EnumerateDirectories(source))
            CopySite(folder, Path.Combine(target, Path.GetFileName(folder)));
    }
}
