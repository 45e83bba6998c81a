using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Zones.Hosting;
using Zones.Tests.Infrastructure;
using Zones.Pipeline;
using Zones.Server;

namespace Zones.Tests.Host;

/// <summary>The program: zones.json, --urls, --zones, start-up errors, and live reload.</summary>
public sealed class HostTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("zones-host-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WriteZones(string json, string name = "zones.json")
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, json);
        return path;
    }

    internal static Task<IHost> StartAsync(params string[] args) => TestHost.StartAsync(args);

    private static ZoneServer ServerOf(IHost host) => TestHost.ServerOf(host);

    /// <summary>The watch on zones.json starts just after the host, off the start-up path.</summary>
    private static async Task WaitUntilWatchingAsync(ReloadingZoneTableSource source)
    {
        await Wait.UntilAsync(() => source.Watching, "zones.json to be watched");
    }

    [Fact]
    public async Task An_unknown_handler_fails_start_naming_the_file_the_entry_and_the_fix()
    {
        var path = WriteZones("""{ "Zones": [ { "Prefix": "/", "Handler": "notfound" }, { "Prefix": "/x", "Handler": "statc" } ] }""");
        var e = await Assert.ThrowsAsync<ZoneConfigurationException>(() => StartAsync("--zones", path, "--urls", "http://127.0.0.1:0"));
        Assert.Contains(path, e.Message);
        Assert.Contains("Zones[1] (Prefix \"/x\")", e.Message);
        Assert.Contains("unknown handler \"statc\"", e.Message);
        Assert.Contains("notfound", e.Message); // the known names are offered
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "www"));
        var path = WriteZones("""
            { "Zones": [
                { "Handler": "notfound" },
                { "Prefix": "nope", "Handler": "notfound" },
                { "Prefix": "/r", "Handler": "redirect" },
                { "Prefix": "/v", "Handler": "vars", "Root": "missing-folder" },
                { "Prefix": "/n", "Handler": "notfound", "Colour": "blue" }
            ] }
            """);
        var e = await Assert.ThrowsAsync<ZoneConfigurationException>(() => StartAsync("--zones", path, "--urls", "http://127.0.0.1:0"));
        Assert.Equal(5, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.StartsWith("Zones[0]") && p.Contains("no \"Prefix\""));
        Assert.Contains(e.Problems, p => p.StartsWith("Zones[1]") && p.Contains("must start with '/'"));
        Assert.Contains(e.Problems, p => p.StartsWith("Zones[2]") && p.Contains("\"Location\""));
        Assert.Contains(e.Problems, p => p.StartsWith("Zones[3]") && p.Contains("missing-folder") && p.Contains("is not a folder"));
        Assert.Contains(e.Problems, p => p.StartsWith("Zones[4]") && p.Contains("unknown option \"Colour\""));
    }

    [Fact]
    public async Task Invalid_json_fails_start_with_the_parser_message()
    {
        var path = WriteZones("""{ "Zones": [ { "Prefix": "/", "Handler": "notfound" } """);
        var e = await Assert.ThrowsAsync<ZoneConfigurationException>(() => StartAsync("--zones", path, "--urls", "http://127.0.0.1:0"));
        Assert.Contains(path, e.Message);
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public async Task A_bad_listen_address_fails_start_naming_the_key()
    {
        var path = WriteZones("""{ "Server": { "Urls": [ "htp://127.0.0.1:80" ] }, "Zones": [ { "Prefix": "/", "Handler": "notfound" } ] }""");
        var e = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => StartAsync("--zones", path));
        Assert.Contains(e.Failures, f => f.Contains(path) && f.Contains("Server:Urls[0]") && f.Contains("http://HOST:PORT"));
    }

    [Fact]
    public async Task Zones_and_urls_arguments_choose_the_file_and_the_address()
    {
        var path = WriteZones("""{ "Server": { "Urls": [ "http://127.0.0.1:1" ] }, "Zones": [ { "Prefix": "/vars", "Handler": "vars" }, { "Prefix": "/", "Handler": "notfound" } ] }""", "other.json");
        using var host = await StartAsync("--zones", path, "--urls", "http://127.0.0.1:0");
        var server = ServerOf(host);
        Assert.Single(server.EndPoints);
        Assert.NotEqual(1, server.EndPoints[0].Port);
        using var client = new HttpClient { BaseAddress = new Uri(server.Urls[0]) };
        Assert.Contains("<h2>request</h2>", await client.GetStringAsync("/vars"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync("/else")).StatusCode);
        await host.StopAsync();
    }

    [Fact]
    public async Task Editing_zones_json_swaps_the_table_while_a_kept_alive_connection_stays_open()
    {
        var path = WriteZones("""{ "Zones": [ { "Prefix": "/", "Handler": "notfound" } ] }""");
        using var host = await StartAsync("--zones", path, "--urls", "http://127.0.0.1:0");
        var server = ServerOf(host);
        var source = host.Services.GetRequiredService<ReloadingZoneTableSource>();
        var reloaded = new TaskCompletionSource<ZoneTable?>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Reloaded += t => reloaded.TrySetResult(t);
        await WaitUntilWatchingAsync(source);

        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync(server.EndPoints[0]);
        await using var conn = new RawConnection(socket);
        await conn.SendAsync("GET /vars HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal(404, (await conn.ReadResponseAsync()).Status);

        await File.WriteAllTextAsync(path, """{ "Zones": [ { "Prefix": "/vars", "Handler": "vars" }, { "Prefix": "/", "Handler": "notfound" } ] }""");
        Assert.NotNull(await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(20)));

        await conn.SendAsync("GET /vars HTTP/1.1\r\nHost: t\r\n\r\n");
        var after = await conn.ReadResponseAsync();
        Assert.Equal(200, after.Status);
        Assert.Equal(1, server.ConnectionCount);
        await host.StopAsync();
    }

    [Fact]
    public async Task Zones_json_saved_the_way_editors_save_is_reloaded_each_time()
    {
        var path = WriteZones("""{ "Zones": [ { "Prefix": "/", "Handler": "notfound" } ] }""");
        using var host = await StartAsync("--zones", path, "--urls", "http://127.0.0.1:0");
        var source = host.Services.GetRequiredService<ReloadingZoneTableSource>();
        await WaitUntilWatchingAsync(source);
        using var client = new HttpClient { BaseAddress = new Uri(ServerOf(host).Urls[0]) };

        async Task SaveAndWaitAsync(Action save)
        {
            // A reload that catches the file half-saved (gone for a moment) fails and keeps the old
            // table; what counts is that the saved file is loaded.
            var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Action<ZoneTable?> onReload = t => { if (t is not null) reloaded.TrySetResult(); };
            source.Reloaded += onReload;
            try
            {
                save();
                await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(20));
            }
            finally
            {
                source.Reloaded -= onReload;
            }
        }

        // A temporary file renamed over the original: an atomic save (VS Code, JetBrains, sed -i…).
        await SaveAndWaitAsync(() =>
        {
            File.WriteAllText(path + ".tmp", """{ "Zones": [ { "Prefix": "/vars", "Handler": "vars" }, { "Prefix": "/", "Handler": "notfound" } ] }""");
            File.Move(path + ".tmp", path, overwrite: true);
        });
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/vars")).StatusCode);

        // Again: the watch outlives the file it first watched.
        await SaveAndWaitAsync(() =>
        {
            File.WriteAllText(path + ".tmp", """{ "Zones": [ { "Prefix": "/", "Handler": "notfound" } ] }""");
            File.Move(path + ".tmp", path, overwrite: true);
        });
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync("/vars")).StatusCode);

        // The original moved aside as a backup and a new file written in its place (vim's way).
        await SaveAndWaitAsync(() =>
        {
            File.Move(path, path + "~", overwrite: true);
            File.WriteAllText(path, """{ "Zones": [ { "Prefix": "/vars", "Handler": "vars" }, { "Prefix": "/", "Handler": "notfound" } ] }""");
        });
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/vars")).StatusCode);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_bad_edit_is_refused_and_the_old_table_keeps_serving()
    {
        var path = WriteZones("""{ "Zones": [ { "Prefix": "/vars", "Handler": "vars" } ] }""");
        using var host = await StartAsync("--zones", path, "--urls", "http://127.0.0.1:0");
        var server = ServerOf(host);
        var source = host.Services.GetRequiredService<ReloadingZoneTableSource>();
        var reloaded = new TaskCompletionSource<ZoneTable?>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Reloaded += t => reloaded.TrySetResult(t);
        await WaitUntilWatchingAsync(source);

        await File.WriteAllTextAsync(path, """{ "Zones": [ { "Prefix": "/vars", "Handler": "no-such-handler" } ] }""");
        Assert.Null(await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        using var client = new HttpClient { BaseAddress = new Uri(server.Urls[0]) };
        Assert.Contains("<h2>request</h2>", await client.GetStringAsync("/vars"));
        await host.StopAsync();
    }

    [Fact]
    public async Task Urls_takes_several_addresses_separated_by_semicolons()
    {
        var path = WriteZones("""{ "Zones": [ { "Prefix": "/", "Handler": "vars" } ] }""");
        using var host = await StartAsync("--zones", path, "--urls", "http://127.0.0.1:0; http://127.0.0.1:0");
        var server = TestHost.ServerOf(host);
        Assert.Equal(2, server.Urls.Count);
        foreach (var url in server.Urls)
        {
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            Assert.Contains("<h2>request</h2>", await client.GetStringAsync("/"));
        }
        Assert.NotEqual(server.Urls[0], server.Urls[1]); // two listeners, each on its own free port
        await host.StopAsync();
    }

    [Fact]
    public async Task Environment_variables_with_the_ZONES_prefix_configure_the_program_and_the_command_line_wins()
    {
        var path = WriteZones("""
            { "Logging": { "LogLevel": { "Default": "Warning", "Zones.Server": "Information" } },
              "Zones": [ { "Prefix": "/poll", "Handler": "longpoll", "Timeout": "00:00:00.2" } ] }
            """);
        var start = new ProcessStartInfo("dotnet", ["exec", Path.Combine(AppContext.BaseDirectory, "Zones.Host.dll"), "--zones", path, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ZONES_Feeds__Names__0"] = "from-env";
        start.Environment["ZONES_urls"] = "http://127.0.0.1:1"; // overridden by --urls
        using var process = Process.Start(start)!;
        try
        {
            var url = await TestHost.ReadListeningUrlAsync(process);
            Assert.DoesNotContain(":1/", url + "/");
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            // The feed named only in the environment exists: a poll waits and answers 204, not 404.
            using var known = await client.GetAsync("/poll/from-env");
            Assert.Equal(System.Net.HttpStatusCode.NoContent, known.StatusCode);
            using var unknown = await client.GetAsync("/poll/not-declared");
            Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task The_program_prints_a_configuration_error_and_exits_with_1()
    {
        var path = WriteZones("""{ "Zones": [ { "Prefix": "/", "Handler": "nothing-like-this" } ] }""");
        var program = Path.Combine(AppContext.BaseDirectory, "Zones.Host.dll");
        var start = new ProcessStartInfo("dotnet", ["exec", program, "--zones", path, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        Assert.Equal(1, process.ExitCode);
        var message = await stderr;
        Assert.StartsWith("zones: cannot start: " + path, message);
        Assert.Contains("Zones[0]", message);
        Assert.Contains("unknown handler \"nothing-like-this\"", message);
        Assert.DoesNotContain("   at ", message + await stdout); // no stack trace
    }
}
