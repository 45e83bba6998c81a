using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Zones.Hosting;
using Zones.Server;

namespace Zones.Tests.Infrastructure;

/// <summary>The real program (zones.json, --urls, built-in handlers) started in-process.</summary>
public static partial class TestHost
{
    /// <summary>Builds and starts the host with these command-line arguments; <paramref name="services"/> adds what Program.cs would.</summary>
    public static Task<IHost> StartAsync(string[] args, Action<IServiceCollection>? services = null) =>
        StartAsync(args, builder => services?.Invoke(builder.Services));

    /// <summary>The same, for what Program.cs adds from the configuration (<c>AddZonesRedisWhenConfigured(builder.Configuration)</c>).</summary>
    public static async Task<IHost> StartAsync(string[] args, Action<HostApplicationBuilder> configure)
    {
        var builder = ZonesHost.CreateBuilder(args);
        configure(builder);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return host;
    }

    public static ZoneServer ServerOf(IHost host) => host.Services.GetRequiredService<ZoneServerHostedService>().Server;

    /// <summary>
    /// For the program started as a process: the URL from its "Now listening on:" line, read from
    /// its standard output (which is then drained so the process never blocks on it).
    /// </summary>
    public static async Task<string> ReadListeningUrlAsync(System.Diagnostics.Process process) => (await ReadListeningUrlsAsync(process, 1))[0];

    /// <summary>The URLs of the first <paramref name="count"/> "Now listening on:" lines, in order.</summary>
    public static async Task<IReadOnlyList<string>> ReadListeningUrlsAsync(System.Diagnostics.Process process, int count) =>
        (await ReadListeningUrlsAndOutputAsync(process, count)).Urls;

    /// <summary>
    /// The URL of the "Now listening on:" line, and the rest of standard output, which completes
    /// when the process closes it: for tests that check what the program logged after its start.
    /// </summary>
    public static async Task<(string Url, Task<string> Output)> ReadListeningUrlAndOutputAsync(System.Diagnostics.Process process)
    {
        var (urls, rest) = await ReadListeningUrlsAndOutputAsync(process, 1);
        return (urls[0], rest);
    }

    private static async Task<(IReadOnlyList<string> Urls, Task<string> Output)> ReadListeningUrlsAndOutputAsync(System.Diagnostics.Process process, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var urls = new List<string>();
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var match = ListeningLine().Match(line);
            if (match.Success) urls.Add(match.Groups[1].Value);
            if (urls.Count == count) return (urls, process.StandardOutput.ReadToEndAsync());
        }
        var why = process.StartInfo.RedirectStandardError ? await process.StandardError.ReadToEndAsync() : "";
        throw new InvalidOperationException("The host exited without listening. " + why);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"Now listening on: (https?://\S+)")]
    private static partial System.Text.RegularExpressions.Regex ListeningLine();

    /// <summary>A file of the repository (zones.json, www/chat.html…), found above the test binaries.</summary>
    public static string RepositoryFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, name);
            if (File.Exists(candidate) && Directory.Exists(Path.Combine(dir.FullName, "www"))) return candidate;
        }
        throw new FileNotFoundException($"{name} was not found above {AppContext.BaseDirectory}");
    }
}
