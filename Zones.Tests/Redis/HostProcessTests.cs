using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Zones.Tests.Feeds;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Redis;

/// <summary>The real program, as separate processes sharing a redis-server: one is killed mid-stream and its client goes on elsewhere.</summary>
public sealed class HostProcessTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("zones-redis-host-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact(Timeout = 120_000)]
    public async Task An_instance_killed_mid_stream_leaves_its_client_to_resume_on_another_with_nothing_lost()
    {
        Requires.Linux("SIGKILL is a POSIX signal");
        await using var redis = await RedisServer.StartAsync();
        var zones = Path.Combine(_folder, "zones.json");
        await File.WriteAllTextAsync(zones, $$"""
            { "Logging": { "LogLevel": { "Default": "Warning", "Microsoft.Hosting.Lifetime": "Information", "Zones.Server": "Information" } },
              "Feeds": { "Names": [ "news" ], "Redis": { "Configuration": "{{redis.Configuration}}", "Prefix": "{{RedisInstance.NewPrefix()}}" } },
              "Zones": [
                { "Prefix": "/events", "Handler": "eventstream", "HeartbeatSeconds": 1 },
                { "Prefix": "/feeds",  "Handler": "publish" },
                { "Prefix": "/",       "Handler": "notfound" } ] }
            """);
        using var a = Start(zones);
        using var b = Start(zones);
        try
        {
            using var clientA = new HttpClient { BaseAddress = new Uri(await TestHost.ReadListeningUrlAsync(a)), Timeout = TimeSpan.FromSeconds(30) };
            using var clientB = new HttpClient { BaseAddress = new Uri(await TestHost.ReadListeningUrlAsync(b)), Timeout = TimeSpan.FromSeconds(30) };
            var errorsB = b.StandardError.ReadToEndAsync();
            _ = a.StandardError.ReadToEndAsync();
            var start = await CrossInstanceTests.PublishAsync(clientB, "news", "start");

            // A publisher on B keeps going; the client reads its stream from A.
            var acknowledged = new ConcurrentQueue<string>();
            using var stop = new CancellationTokenSource();
            var publisher = Task.Run(async () =>
            {
                for (var i = 1; !stop.IsCancellationRequested && i <= 200; i++)
                {
                    acknowledged.Enqueue(await CrossInstanceTests.PublishAsync(clientB, "news", $"event {i}"));
                    await Task.Delay(5);
                }
            });
            var received = new List<string>();
            var (response, stream) = await FeedServer.OpenAsync(clientA, "/events/news", start);
            try
            {
                while (received.Count < 50) received.Add((await stream.ReadEventAsync()).Id!);
            }
            finally
            {
                a.Kill(); // SIGKILL: no goodbye, the stream just breaks
                await a.WaitForExitAsync();
            }
            try
            {
                while (true) received.Add((await stream.ReadEventAsync()).Id!); // whatever had arrived before the kill
            }
            catch (Exception e) when (e is IOException or EndOfStreamException or HttpRequestException)
            {
                // The connection is gone, as a browser's EventSource would find.
            }
            stream.Dispose();
            response.Dispose();

            await publisher;
            var acked = acknowledged.ToList();
            Assert.Equal(200, acked.Count); // fewer than BufferSize (256): all kept for the resume
            (response, stream) = await FeedServer.OpenAsync(clientB, "/events/news", received[^1]); // EventSource reconnects elsewhere with Last-Event-ID
            using (response)
            using (stream)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                while (received[^1] != acked[^1])
                {
                    var e = await stream.ReadEventAsync();
                    Assert.Null(e.Event); // no reset: everything missed is still kept
                    received.Add(e.Id!);
                }
            }
            Assert.Equal(acked, received); // every acknowledged event once, in order, across the kill
            b.Kill();
            Assert.DoesNotContain("Unhandled", await errorsB);
        }
        finally
        {
            if (!a.HasExited) a.Kill(entireProcessTree: true);
            if (!b.HasExited) b.Kill(entireProcessTree: true);
        }
    }

    private static Process Start(string zones) =>
        Process.Start(new ProcessStartInfo("dotnet", ["exec", Path.Combine(AppContext.BaseDirectory, "Zones.Host.dll"), "--zones", zones, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
}
