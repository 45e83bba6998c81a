using System.Net;
using System.Text;
using Zones.Hosting;
using Zones.Server;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Server;

/// <summary>Server:AccessLog: Zones writes the access log itself, buffered, to a file or standard output.</summary>
public sealed class AccessLogFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("zones-access-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string LogPath => Path.Combine(_folder, "access.log");

    private Task<TestServer> StartAsync(Action<ServerOptions>? configure = null) =>
        TestServer.StartAsync([TestServer.Zone("/t", _ => ZoneResult.Respond(ZoneResponse.Text("12345")))], o =>
        {
            o.AccessLog = LogPath;
            configure?.Invoke(o);
        });

    private async Task<string[]> WaitForLinesAsync(int count)
    {
        string[] lines = [];
        await Wait.UntilAsync(() => File.Exists(LogPath) && (lines = ReadLines()).Length >= count, $"{count} access-log lines");
        return lines;
    }

    // Shared read: the server holds the file open for appending.
    private string[] ReadLines()
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new StreamReader(stream, Encoding.UTF8).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public async Task Each_request_gets_a_line_with_the_time_and_the_logger_gets_none()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        await client.GetStringAsync("/t?q=1");
        using (var missing = await client.GetAsync("/nothing")) Assert.Equal(HttpStatusCode.NotImplemented, missing.StatusCode); // no zone answered it
        var lines = await WaitForLinesAsync(2);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z 127\.0\.0\.1:\d+ - ""GET /t\?q=1 HTTP/1\.1"" 200 5 \d+\.\dms$", lines[0]);
        Assert.Matches(@" ""GET /nothing HTTP/1\.1"" 501 \d+ \d+\.\dms$", lines[1]);
        var stamp = DateTime.Parse(lines[0][..24], null, System.Globalization.DateTimeStyles.RoundtripKind);
        Assert.InRange(stamp, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddSeconds(1)); // UTC, now
        Assert.Empty(server.Logs.For("Zones.Access"));
    }

    [Fact]
    public async Task A_refused_head_an_access_token_and_an_odd_user_are_written_as_the_logger_would()
    {
        await using var server = await StartAsync();
        await using (var raw = await server.ConnectAsync())
        {
            await raw.SendAsync("NOT A REQUEST\r\n\r\n");
            Assert.Equal(400, (await raw.ReadResponseAsync()).Status);
        }
        using var client = server.CreateClient();
        await client.GetStringAsync("/t?access_token=s3cret&x=1");
        // Two connections: a line is added after its answer is sent, so the second request's line can come first.
        var lines = await WaitForLinesAsync(2);
        Assert.Single(lines, line => System.Text.RegularExpressions.Regex.IsMatch(line, @" 127\.0\.0\.1:\d+ - ""-"" 400 "));
        Assert.Single(lines, line => line.Contains(@"""GET /t?access_token=***&x=1 HTTP/1.1"" 200 5 "));
        Assert.DoesNotContain("s3cret", string.Join('\n', lines));
    }

    [Fact]
    public async Task Stopping_writes_every_line_still_queued()
    {
        var server = await StartAsync();
        using (var client = server.CreateClient())
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            {
                for (var i = 0; i < 100; i++) await client.GetStringAsync("/t");
            }));
        }
        await server.DisposeAsync();
        Assert.Equal(800, ReadLines().Length);
        Assert.All(ReadLines(), line => Assert.Contains(@"""GET /t HTTP/1.1"" 200 5 ", line));
    }

    [Fact]
    public async Task Lines_are_appended_to_what_the_file_already_holds()
    {
        await File.WriteAllTextAsync(LogPath, "an earlier line\n");
        await using (var server = await StartAsync())
        {
            using var client = server.CreateClient();
            await client.GetStringAsync("/t");
        }
        var lines = ReadLines();
        Assert.Equal(2, lines.Length);
        Assert.Equal("an earlier line", lines[0]);
    }

    [Fact]
    public void A_missing_folder_or_an_empty_path_is_a_configuration_error_naming_the_key()
    {
        var validator = new ServerOptionsValidator(new ZoneFile(Path.Combine(_folder, "zones.json")));
        var missing = Path.Combine(_folder, "no-such-folder", "access.log");
        var result = validator.Validate(null, new ServerOptions { AccessLog = missing });
        Assert.True(result.Failed);
        Assert.Contains($"Server:AccessLog: the folder {Path.GetDirectoryName(missing)} does not exist", result.FailureMessage);
        Assert.Contains("zones.json", result.FailureMessage);
        Assert.Contains("Server:AccessLog is empty", validator.Validate(null, new ServerOptions { AccessLog = "" }).FailureMessage);
        Assert.True(validator.Validate(null, new ServerOptions { AccessLog = "-" }).Succeeded);

        var relative = new ServerOptions { AccessLog = "logs/access.log" };
        relative.ResolvePaths(_folder);
        Assert.Equal(Path.Combine(_folder, "logs", "access.log"), relative.AccessLog);
    }

    [Fact]
    public async Task A_file_that_cannot_be_opened_stops_the_start_with_the_key_to_fix()
    {
        Directory.CreateDirectory(LogPath); // a folder where the file should be
        var e = await Assert.ThrowsAsync<IOException>(() => StartAsync());
        Assert.Contains($"Cannot open the access log {LogPath}", e.Message);
        Assert.Contains("Server:AccessLog", e.Message);
    }
}
