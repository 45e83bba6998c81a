using System.Diagnostics;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Static;

/// <summary>
/// Runs Zones.Host as the unprivileged user "nobody" (setpriv, from util-linux), for checks that
/// mean nothing under root — such as a file the server is not allowed to read.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class UnprivilegedHost
{
    public static async Task<int> GetStatusAsync(string root, string path)
    {
        if (!File.Exists("/usr/bin/setpriv")) Assert.Skip("running as root and /usr/bin/setpriv (util-linux) is missing, so no unprivileged server can be started");
        var folder = Directory.CreateTempSubdirectory("zones-nobody-").FullName;
        try
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
            for (var dir = new DirectoryInfo(root); dir is not null && dir.FullName != "/"; dir = dir.Parent)
                File.SetUnixFileMode(dir.FullName, File.GetUnixFileMode(dir.FullName) | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            var zones = Path.Combine(folder, "zones.json");
            await File.WriteAllTextAsync(zones, $$"""
                { "Zones": [
                    { "Prefix": "/", "Handler": "staticfile", "Root": "{{root}}" },
                    { "Prefix": "/", "Handler": "notfound" } ] }
                """);
            File.SetUnixFileMode(zones, (UnixFileMode)0b110_100_100);
            var program = Path.Combine(AppContext.BaseDirectory, "Zones.Host.dll");
            var start = new ProcessStartInfo("/usr/bin/setpriv",
                ["--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", "exec", program, "--zones", zones, "--urls", "http://127.0.0.1:0"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
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
}
