using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Zones.Handlers;
using Zones.Handlers.Static;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Server;

/// <summary>
/// MinResponseDataRate by progress: a client that takes nothing of what a waiting write offers is
/// cut once the grace period has passed — whatever the write's size (sendfile slices of 4 MiB,
/// buffered 64 KiB flushes, a take-over's writes) — while clients that read are served in full.
/// </summary>
public sealed class SlowReaderTests : IDisposable
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(3);
    private const int TenMiB = 10 * 1024 * 1024;
    private readonly string _root = Directory.CreateTempSubdirectory("zones-slow-").FullName;
    private readonly byte[] _file = new byte[TenMiB];

    public SlowReaderTests()
    {
        new Random(7).NextBytes(_file);
        File.WriteAllBytes(Path.Combine(_root, "10m.bin"), _file);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Task<TestServer> StartAsync() => TestServer.StartAsync(
        [
            TestServer.Zone("/buffered", _ => ZoneResult.Respond(ZoneResponse.Bytes(_file))),
            TestServer.Zone("/takeover", _ => ZoneResult.TakeOver(async t =>
            {
                await t.WriteResponseHeadAsync(200, new Zones.Http.HttpHeaders { { "Content-Type", "application/octet-stream" } });
                var block = new byte[64 * 1024];
                while (!t.ConnectionAborted.IsCancellationRequested) await t.Stream.WriteAsync(block, t.ConnectionAborted);
            })),
            new Zone("/", new StaticFileHandler(new StaticFileOptions()), _root, "staticfile"),
        ],
        o => o.Limits.MinResponseDataRateGracePeriod = Grace);

    [Fact]
    public async Task Two_hundred_clients_that_read_nothing_of_a_sendfile_download_are_cut_after_the_grace_period_while_a_reader_gets_it_all() =>
        await StalledClientsAreCutAsync("/10m.bin", count: 200, whileTheyWait: async server =>
        {
            using var client = server.CreateClient();
            Assert.Equal(_file, await client.GetByteArrayAsync("/10m.bin"));
        });

    [Fact]
    public async Task Clients_that_read_nothing_of_a_buffered_body_are_cut_after_the_grace_period() =>
        await StalledClientsAreCutAsync("/buffered", count: 20, whileTheyWait: async server =>
        {
            using var client = server.CreateClient();
            Assert.Equal(_file, await client.GetByteArrayAsync("/buffered"));
        });

    [Fact]
    public async Task Clients_that_read_nothing_of_a_take_over_are_cut_after_the_grace_period() =>
        await StalledClientsAreCutAsync("/takeover", count: 20, whileTheyWait: _ => Task.CompletedTask);

    [Fact]
    public async Task A_client_reading_slowly_but_above_the_minimum_rate_is_never_cut()
    {
        await using var server = await StartAsync();
        using var socket = await ConnectAsync(server);
        await socket.SendAsync("GET /10m.bin HTTP/1.1\r\nHost: t\r\n\r\n"u8.ToArray(), SocketFlags.None);
        // 16 KiB every 50 ms (~320 KiB/s, far above 240 B/s) for three grace periods.
        var buffer = new byte[16 * 1024];
        var watch = Stopwatch.StartNew();
        long received = 0;
        while (watch.Elapsed < 3 * Grace)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None);
            Assert.True(n > 0, $"the server closed a client that had read {received} bytes at about 320 KiB/s");
            received += n;
            await Task.Delay(50);
        }
        Assert.Equal(1, server.Server.ConnectionCount);
        Assert.DoesNotContain(server.Logs.Entries, e => e.Message.Contains("stopped reading"));
    }

    private async Task StalledClientsAreCutAsync(string path, int count, Func<TestServer, Task> whileTheyWait)
    {
        await using var server = await StartAsync();
        var started = Stopwatch.StartNew();
        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var socket = await ConnectAsync(server);
                sockets.Add(socket);
                await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: t\r\n\r\n"), SocketFlags.None);
            }
            // Connected is not yet accepted: on a loaded machine the accept loop may still be taking
            // them from the backlog, and a count below `count` must mean a cut, not a late accept.
            await Wait.UntilAsync(() => server.Server.ConnectionCount == count, $"the server to accept all {count} connections");
            var allOpen = started.Elapsed;
            await whileTheyWait(server);

            // None goes before its grace period; all are gone within a few heartbeats after it.
            TimeSpan? firstCut = null;
            var watching = started.Elapsed;
            var countAtStart = server.Server.ConnectionCount;
            var deadline = allOpen + Grace + TimeSpan.FromSeconds(6);
            while (started.Elapsed < deadline + TimeSpan.FromSeconds(10))
            {
                var open = server.Server.ConnectionCount;
                if (firstCut is null && open < count) firstCut = started.Elapsed;
                if (open == 0) break;
                await Task.Delay(100);
            }
            Assert.True(server.Server.ConnectionCount == 0, $"{server.Server.ConnectionCount} stalled clients still connected after {started.Elapsed}; " + string.Join("\n", server.Logs.Entries.Where(e => e.Category != "Zones.Access").TakeLast(30)));
            Assert.True(firstCut >= Grace, $"a stalled client was cut after {firstCut}, before the grace period of {Grace} (all open at {allOpen}, watched from {watching} with {countAtStart} open); " + string.Join("\n", server.Logs.Entries.Take(20)));
            Assert.True(started.Elapsed <= deadline, $"the last stalled client was cut after {started.Elapsed}; expected by {deadline}");
            Assert.Equal(count, server.Logs.Entries.Count(e => e.Message.Contains("the client stopped reading the response") && e.Level == LogLevel.Debug));
            Assert.DoesNotContain(server.Logs.Entries, e => e.Level >= LogLevel.Warning && e.Category != "Zones.Access");
        }
        finally
        {
            foreach (var socket in sockets) socket.Dispose();
        }
    }

    /// <summary>A client with a small receive window, as a phone on a bad network has; so its kernel cannot swallow the whole file.</summary>
    private static async Task<Socket> ConnectAsync(TestServer server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 32 * 1024 };
        await socket.ConnectAsync(IPAddress.Loopback, server.Port);
        return socket;
    }
}
