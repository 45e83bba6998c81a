using Zones.Hosting;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Commands;

/// <summary>zones check: every problem of a zone file, worded as the server words it when it refuses to start.</summary>
public sealed class CheckCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("zones-check-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_folder, "zones.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await ZonesCommands.RunAsync(args, null, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_broken_file_prints_every_problem_and_exits_1()
    {
        var path = Write("""
            { "Server": { "Urls": [ "ftp://127.0.0.1:1" ] },
              "Zones": [ { "Prefix": "x", "Handler": "notfound" },
                         { "Prefix": "/", "Handler": "statc" },
                         { "Prefix": "/", "Handler": "staticfile" } ] }
            """);
        var (exit, output, error) = await RunAsync("check", path);
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
        [
            $"{path}: Server:Urls[0]: \"ftp://127.0.0.1:1\": expected http://HOST:PORT or https://HOST:PORT, e.g. http://127.0.0.1:8080.",
            $"{path}: Zones[0] (Prefix \"x\"): \"Prefix\" must start with '/'; write \"/x\".",
            $"{path}: Zones[2] (Prefix \"/\"): handler \"staticfile\" serves files and needs a \"Root\", e.g. \"Root\": \"www\".",
            $"zones: check: 4 problem(s) in {path}",
        ], lines.Where(l => !l.Contains("unknown handler", StringComparison.Ordinal)));
        Assert.Contains($"{path}: Zones[1] (Prefix \"/\"): unknown handler \"statc\"; use one of: ", error);
    }

    [Fact]
    public async Task Each_problem_is_the_line_the_server_prints_when_it_refuses_to_start()
    {
        var path = Write("""{ "Zones": [ { "Prefix": "/", "Handler": "staticfile", "Root": "nowhere" } ] }""");
        var (exit, _, error) = await RunAsync("check", path);
        Assert.Equal(1, exit);
        var refused = await Assert.ThrowsAsync<ZoneConfigurationException>(() => TestHost.StartAsync(["--zones", path, "--urls", "http://127.0.0.1:0"]));
        Assert.StartsWith($"{path}: {Assert.Single(refused.Problems)}" + Environment.NewLine, error);
    }

    [Fact]
    public async Task A_file_that_is_not_json_or_not_there_is_one_problem()
    {
        var path = Write("{ \"Zones\": [ ");
        var (exit, _, error) = await RunAsync("check", path);
        Assert.Equal(1, exit);
        Assert.StartsWith($"{path}: not valid JSON: ", error);
        var missing = Path.Combine(_folder, "missing.json");
        (exit, _, error) = await RunAsync("check", missing);
        Assert.Equal(1, exit);
        Assert.StartsWith($"{missing}: the file does not exist; create it or pass another with --zones PATH", error);
    }

    [Fact]
    public async Task A_good_file_is_ok_and_exits_0_and_the_programs_own_handlers_are_known_to_it()
    {
        var path = Write("""{ "Zones": [ { "Prefix": "/hello", "Handler": "hello" }, { "Prefix": "/", "Handler": "notfound" } ] }""");
        var (exit, _, error) = await RunAsync("check", path);
        Assert.Equal(1, exit); // the tool alone does not know the demo's handler
        Assert.Contains("unknown handler \"hello\"", error);
        using var okOutput = new StringWriter();
        using var okError = new StringWriter();
        exit = await ZonesCommands.RunAsync(["check", path], b => Zones.Host.DemoHandlers.AddDemoHandlers(b.Services), okOutput, okError);
        Assert.Equal(0, exit);
        Assert.Equal($"{path}: ok, 2 zone(s)", okOutput.ToString().Trim());
        Assert.Equal("", okError.ToString());
    }

    [Theory]
    [InlineData(2, "check")]
    [InlineData(2, "frobnicate")]
    [InlineData(0, "help")]
    public async Task Usage_errors_exit_2_and_print_the_usage(int expected, string command)
    {
        var (exit, output, error) = await RunAsync(command);
        Assert.Equal(expected, exit);
        Assert.Contains("zones serve [ROOT] [--listen 127.0.0.1:8080] [--browse] [--templates]", output + error);
    }

    [Fact]
    public async Task Version_prints_the_packages_version()
    {
        var (exit, output, _) = await RunAsync("version");
        Assert.Equal(0, exit);
        var version = typeof(ZonesHost).Assembly.GetName().Version!;
        Assert.StartsWith($"zones {version.Major}.{version.Minor}.{version.Build}", output);
    }
}
