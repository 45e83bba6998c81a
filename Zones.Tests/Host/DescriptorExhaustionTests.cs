using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Host;

/// <summary>
/// The real program with a low `ulimit -n` and more clients than descriptors: it keeps serving,
/// answers every client (those waiting in the backlog once descriptors free up; one whose file
/// could not be opened meanwhile with 503 and Retry-After), and says so with one warning that
/// names the fix, not a line per retry.
/// </summary>
public sealed class DescriptorExhaustionTests : IDisposable
{
    private const int DescriptorLimit = 256;
    private const int Clients = 400;
    private readonly string _folder = Directory.CreateTempSubdirectory("zones-emfile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task More_clients_than_descriptors_are_all_answered_with_one_warning()
    {
        Requires.Linux("ulimit -n and /proc/PID/fd");
        var bash = Requires.Tool("bash", "apt-get install bash");
        var www = Directory.CreateDirectory(Path.Combine(_folder, "www")).FullName;
        await File.WriteAllTextAsync(Path.Combine(www, "index.html"), "hello");
        var zones = Path.Combine(_folder, "zones.json");
        await File.WriteAllTextAsync(zones, $$"""
            { "Logging": { "LogLevel": { "Default": "Warning", "Zones.Server": "Information" } },
              "Zones": [ { "Prefix": "/", "Handler": "staticfile", "Root": "{{www}}" } ] }
            """);
        var host = Path.Combine(AppContext.BaseDirectory, "Zones.Host.dll");
        var start = new ProcessStartInfo(bash, ["-c", $"ulimit -n {DescriptorLimit} && exec dotnet exec \"$0\" --zones \"$1\" --urls http://127.0.0.1:0", host, zones])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var connections = new List<RawConnection>();
        try
        {
            var (url, stdout) = await TestHost.ReadListeningUrlAndOutputAsync(process);
            var stderr = process.StandardError.ReadToEndAsync();
            var port = new Uri(url).Port;
            // Serving already: a first request loads what the program loads lazily (assemblies
            // need descriptors too, and a load that failed is not tried again).
            using (var client = new HttpClient())
                Assert.Equal("hello", await client.GetStringAsync(url + "/index.html"));

            // Every connect completes: past the descriptors the kernel's backlog holds them.
            for (var i = 0; i < Clients; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, port);
                connections.Add(new RawConnection(socket));
            }
            var descriptors = $"/proc/{process.Id.ToString(CultureInfo.InvariantCulture)}/fd";
            await Wait.UntilAsync(() => Directory.GetFiles(descriptors).Length >= DescriptorLimit - 8, $"the server to hold nearly all its {DescriptorLimit} descriptors");
            await Task.Delay(1500); // retries while out of descriptors, the ones the warning must not repeat

            // Each answer closes its connection and frees a descriptor for one still in the backlog.
            await Task.WhenAll(connections.Select(c => c.SendAsync("GET /index.html HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")));
            var answers = await Task.WhenAll(connections.Select(c => c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(40))));
            // A request whose file could not be opened for want of a descriptor is told to come back.
            var comeBack = answers.Where(a => a.Status == 503).ToList();
            Assert.All(comeBack, a =>
            {
                Assert.Equal("1", a.Headers["Retry-After"]);
                Assert.Equal("close", a.Headers["Connection"]);
            });
            Assert.All(answers.Except(comeBack), a => Assert.Equal("hello", a.BodyText));
            Assert.True(answers.Length - comeBack.Count > Clients - DescriptorLimit, $"only {answers.Length - comeBack.Count} got the file"); // the backlog was served too
            // And when they do, they get it.
            using (var client = new HttpClient())
                foreach (var _ in comeBack) Assert.Equal("hello", await client.GetStringAsync(url + "/index.html"));

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            var logged = await stdout + await stderr;
            var lines = logged.Split('\n');
            var acceptWarning = Assert.Single(lines, l => l.Contains("Accept failed on", StringComparison.Ordinal));
            Assert.Contains("warn:", acceptWarning);
            Assert.Contains("Out of file descriptors? Raise the limit (ulimit -n", acceptWarning);
            // At most once a minute, however many requests were answered 503.
            var answeredWarnings = lines.Where(l => l.Contains("Out of file descriptors: ", StringComparison.Ordinal)).ToList();
            Assert.Equal(comeBack.Count > 0 ? 1 : 0, answeredWarnings.Count);
            Assert.All(answeredWarnings, l => Assert.Contains("warn:", l));
            Assert.DoesNotContain("fail:", logged);
            Assert.DoesNotContain("crit:", logged);
        }
        finally
        {
            foreach (var c in connections) await c.DisposeAsync();
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
