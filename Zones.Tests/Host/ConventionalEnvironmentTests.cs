using System.Collections;
using System.Diagnostics;
using System.Globalization;
using Zones.Hosting;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Host;

/// <summary>
/// The environment variables .NET users already set: Logging__… and ASPNETCORE_URLS / DOTNET_URLS,
/// below ZONES_ variables and the command line. The program runs as a child process, so the
/// variables are its own and no other test's host sees them.
/// </summary>
public sealed class ConventionalEnvironmentTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("zones-env-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Logging_variables_become_logging_keys_and_ASPNETCORE_URLS_beats_DOTNET_URLS()
    {
        var found = ConventionalEnvironment.Read(new Hashtable
        {
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__Console__FormatterName"] = "json",
            ["DOTNET_URLS"] = "http://127.0.0.1:1",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:2",
            ["PATH"] = "/usr/bin",
            ["Zones__0__Handler"] = "forbidden",
        }).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:Console:FormatterName"] = "json",
            ["urls"] = "http://127.0.0.1:2",
        }, found);
        Assert.Equal("http://127.0.0.1:1", ConventionalEnvironment.Read(new Hashtable { ["DOTNET_URLS"] = "http://127.0.0.1:1" }).Single().Value);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Logging__LogLevel__Default_Warning_silences_the_access_log_that_zones_json_turns_on(bool warningOnly)
    {
        var zones = Path.Combine(_folder, "zones.json");
        await File.WriteAllTextAsync(zones, """
            { "Logging": { "LogLevel": { "Default": "Information" } },
              "Server": { "Urls": [ "http://127.0.0.1:1" ] },
              "Zones": [ { "Prefix": "/", "Handler": "notfound" } ] }
            """);
        var environment = new Dictionary<string, string>
        {
            // Neither the file's port 1 nor DOTNET_URLS: ASPNETCORE_URLS wins over both, and ZONES_URLS would over it.
            ["DOTNET_URLS"] = "http://127.0.0.1:2",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["Logging__LogLevel__Zones.Server"] = "Information", // the "Now listening" and "Stopping" lines
        };
        if (warningOnly) environment["Logging__LogLevel__Default"] = "Warning";
        var output = await RunUntilStoppedAsync(zones, environment, async url =>
        {
            using var client = new HttpClient();
            using var response = await client.GetAsync(url + "/nothing-here");
            Assert.Equal(404, (int)response.StatusCode);
        });
        Assert.Contains("Zones.Server[8] Stopping", output); // read to the end of a graceful stop
        Assert.Equal(!warningOnly, output.Contains("\"GET /nothing-here HTTP/1.1\" 404", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ZONES_URLS_beats_ASPNETCORE_URLS_and_the_command_line_beats_both()
    {
        var zones = Path.Combine(_folder, "zones.json");
        await File.WriteAllTextAsync(zones, """{ "Zones": [ { "Prefix": "/", "Handler": "notfound" } ] }""");
        var environment = new Dictionary<string, string> { ["ASPNETCORE_URLS"] = "http://127.0.0.1:1", ["ZONES_URLS"] = "http://127.0.0.1:0" };
        var url = "";
        await RunUntilStoppedAsync(zones, environment, u => { url = u; return Task.CompletedTask; });
        Assert.NotEqual(1, new Uri(url).Port);
        environment["ZONES_URLS"] = "http://127.0.0.1:2";
        await RunUntilStoppedAsync(zones, environment, u => { url = u; return Task.CompletedTask; }, "--urls", "http://[::1]:0");
        Assert.StartsWith("http://[::1]:", url);
    }

    /// <summary>Runs the program with these variables until it listens, calls <paramref name="probe"/>, stops it with SIGTERM and returns all it wrote.</summary>
    private static async Task<string> RunUntilStoppedAsync(string zones, Dictionary<string, string> environment, Func<string, Task> probe, params string[] extra)
    {
        Requires.Linux("the program is stopped with SIGTERM");
        var start = new ProcessStartInfo("dotnet", ["exec", Path.Combine(AppContext.BaseDirectory, "Zones.Host.dll"), "--zones", zones, .. extra])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        try
        {
            var lines = new List<string>();
            string? url = null;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (url is null && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                lines.Add(line);
                if (line.Contains("Now listening on: ", StringComparison.Ordinal)) url = line[(line.IndexOf("http", StringComparison.Ordinal))..].Trim();
            }
            // (Standard error is read only when it failed: the read waits for the program to exit.)
            if (url is null) Assert.Fail("the program did not listen:\n" + string.Join('\n', lines) + await process.StandardError.ReadToEndAsync());
            await probe(url);
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            var rest = await process.StandardOutput.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return string.Join('\n', lines) + "\n" + rest;
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
