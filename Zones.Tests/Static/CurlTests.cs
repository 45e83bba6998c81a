using System.Diagnostics;
using Zones.Handlers.Static;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Static;

/// <summary>curl, the client people script downloads with, against staticfile: ranges, --compressed, -z.</summary>
public sealed class CurlTests : IDisposable
{
    private readonly StaticSite _site = new();
    private readonly string _text = string.Concat(Enumerable.Range(0, 500).Select(i => $"curl line {i:D4}\n"));

    public CurlTests() => _site.Write("file.txt", _text);

    public void Dispose() => _site.Dispose();

    /// <summary>Runs curl with -s -S, the body to a file; returns (exit code, http code from -w, body, stderr).</summary>
    private Task<(int Exit, string Status, byte[] Body, string Error)> RunAsync(params string[] args) =>
        RunToAsync(Path.Combine(_site.Folder, "curl-" + Guid.NewGuid().ToString("N")), args);

    private async Task<(int Exit, string Status, byte[] Body, string Error)> RunToAsync(string output, params string[] args)
    {
        var curl = Requires.Tool("curl", "apt-get install -y curl");
        var start = new ProcessStartInfo(curl, ["-s", "-S", "--max-time", "30", "-o", output, "-w", "%{http_code}", .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var body = File.Exists(output) ? await File.ReadAllBytesAsync(output) : [];
        return (process.ExitCode, await stdout, body, await stderr);
    }

    [Fact]
    public async Task Curl_range_gets_the_first_hundred_bytes()
    {
        await using var server = await _site.StartAsync();
        var (exit, status, body, error) = await RunAsync("-r", "0-99", server.BaseAddress + "file.txt");
        Assert.True(exit == 0, error);
        Assert.Equal("206", status);
        Assert.Equal(_text[..100], System.Text.Encoding.ASCII.GetString(body));
    }

    [Fact]
    public async Task Curl_resumes_a_partial_download()
    {
        await using var server = await _site.StartAsync();
        var partial = Path.Combine(_site.Folder, "partial.txt");
        await File.WriteAllTextAsync(partial, _text[..1234]);
        var (exit, status, body, error) = await RunToAsync(partial, "-C", "-", server.BaseAddress + "file.txt");
        Assert.True(exit == 0, error);
        Assert.Equal("206", status); // curl asked for bytes=1234- and appended them
        Assert.Equal(_text, System.Text.Encoding.ASCII.GetString(body));
    }

    [Fact]
    public async Task Curl_compressed_decodes_what_the_server_compressed()
    {
        await using var server = await _site.StartAsync(new StaticFileOptions { Compress = true });
        var headers = Path.Combine(_site.Folder, "headers.txt");
        var (exit, status, body, error) = await RunAsync("--compressed", "-D", headers, server.BaseAddress + "file.txt");
        Assert.True(exit == 0, error);
        Assert.Equal("200", status);
        Assert.Equal(_text, System.Text.Encoding.ASCII.GetString(body));
        var head = await File.ReadAllTextAsync(headers);
        Assert.Matches("(?im)^content-encoding: (br|gzip)\r$", head);
        Assert.Contains("Vary: Accept-Encoding", head);
    }

    [Fact]
    public async Task Curl_time_condition_gets_304_for_an_unchanged_file()
    {
        var modified = new DateTime(2024, 6, 1, 12, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(_site.Root, "file.txt"), modified);
        await using var server = await _site.StartAsync();
        var url = server.BaseAddress + "file.txt";

        var notModified = await RunAsync("-z", "Sat, 01 Jun 2024 12:00:00 GMT", url);
        Assert.True(notModified.Exit == 0, notModified.Error);
        Assert.Equal("304", notModified.Status);
        Assert.Empty(notModified.Body);

        var older = await RunAsync("-z", "Fri, 31 May 2024 12:00:00 GMT", url);
        Assert.Equal("200", older.Status);
        Assert.Equal(_text, System.Text.Encoding.ASCII.GetString(older.Body));

        // -z with a file uses that file's date: a local copy as new as the server's is not fetched again.
        var local = Path.Combine(_site.Folder, "local.txt");
        await File.WriteAllTextAsync(local, "old copy");
        File.SetLastWriteTimeUtc(local, modified);
        Assert.Equal("304", (await RunAsync("-z", local, url)).Status);
    }
}
