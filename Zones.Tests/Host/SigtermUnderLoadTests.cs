using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Host;

/// <summary>
/// The real program under load receives SIGTERM: downloads in progress finish whole, requests
/// sent well before the signal are answered, WebSockets are closed with 1001, and the process
/// exits by itself within the shutdown timeout.
/// </summary>
public sealed class SigtermUnderLoadTests : IDisposable
{
    private const int FileSize = 4 * 1024 * 1024;
    private readonly string _folder = Directory.CreateTempSubdirectory("zones-sigterm-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Sigterm_during_load_finishes_what_was_accepted_and_exits()
    {
        Requires.Linux("SIGTERM is a POSIX signal");
        var www = Directory.CreateDirectory(Path.Combine(_folder, "www")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(www, "big.bin"), new byte[FileSize]);
        var zones = Path.Combine(_folder, "zones.json");
        await File.WriteAllTextAsync(zones, $$"""
            { "Server": { "ShutdownTimeout": "00:00:15" },
              "Logging": { "LogLevel": { "Default": "Warning", "Microsoft.Hosting.Lifetime": "Information", "Zones.Server": "Information" } },
              "Zones": [
                { "Prefix": "/ws", "Handler": "websocket", "Endpoint": "echo" },
                { "Prefix": "/", "Handler": "staticfile", "Root": "{{www}}" },
                { "Prefix": "/", "Handler": "notfound" } ] }
            """);
        var start = new ProcessStartInfo("dotnet", ["exec", Path.Combine(AppContext.BaseDirectory, "Zones.Host.dll"), "--zones", zones, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        try
        {
            var (url, stdout) = await TestHost.ReadListeningUrlAndOutputAsync(process);
            var stderr = process.StandardError.ReadToEndAsync();

            var sockets = new List<ClientWebSocket>();
            for (var i = 0; i < 4; i++)
            {
                var socket = new ClientWebSocket();
                await socket.ConnectAsync(new Uri(url.Replace("http://", "ws://") + "/ws"), CancellationToken.None);
                sockets.Add(socket);
            }
            var closes = sockets.Select(async s =>
            {
                var buffer = new byte[1024];
                var result = await s.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
                return (result.MessageType, s.CloseStatus);
            }).ToList();

            long signalAt = long.MaxValue;
            var outcomes = new ConcurrentBag<(long Sent, bool HeadersArrived, bool Complete, string? Error)>();
            using var stopLoad = new CancellationTokenSource();
            var load = Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
            {
                using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
                while (!stopLoad.IsCancellationRequested)
                {
                    var sent = Stopwatch.GetTimestamp();
                    var headers = false;
                    try
                    {
                        using var response = await client.GetAsync("/big.bin", HttpCompletionOption.ResponseHeadersRead);
                        headers = true;
                        var body = await response.Content.ReadAsByteArrayAsync();
                        outcomes.Add((sent, true, body.Length == FileSize, body.Length == FileSize ? null : $"short body: {body.Length}"));
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                    {
                        outcomes.Add((sent, headers, false, e.Message));
                        if (Interlocked.Read(ref signalAt) != long.MaxValue) return; // refused after the signal: expected
                        await Task.Delay(10);
                    }
                }
            })).ToList();

            await Wait.UntilAsync(() => outcomes.Count >= 40, "40 downloads to finish before the signal"); // under way
            Interlocked.Exchange(ref signalAt, Stopwatch.GetTimestamp());
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            var exited = process.WaitForExitAsync();
            var clock = Stopwatch.StartNew();
            await exited.WaitAsync(TimeSpan.FromSeconds(40));
            var exitTime = clock.Elapsed;
            stopLoad.Cancel();
            await Task.WhenAll(load);

            Assert.Equal(0, process.ExitCode);
            Assert.True(exitTime < TimeSpan.FromSeconds(15 + 5), $"exit took {exitTime}");
            // Every response that had begun finished whole; every request sent 200 ms before the signal was answered.
            var margin = Stopwatch.Frequency / 5;
            Assert.DoesNotContain(outcomes, o => o.HeadersArrived && !o.Complete);
            Assert.DoesNotContain(outcomes, o => o.Sent < signalAt - margin && !o.Complete);
            Assert.True(outcomes.Count(o => o.Complete) >= 40);
            foreach (var close in closes)
            {
                var (type, status) = await close;
                Assert.Equal(WebSocketMessageType.Close, type);
                Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status); // 1001 going away
            }
            Assert.DoesNotContain("Unhandled", await stderr);
            // The stop itself went cleanly: it asked the connections to finish, and nothing on the
            // way (an accept cut by the listener's close, a download cut by the signal) was an error.
            var logged = await stdout + await stderr;
            Assert.Contains("Stopping:", logged);
            Assert.DoesNotContain("fail:", logged);
            Assert.DoesNotContain("crit:", logged);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
