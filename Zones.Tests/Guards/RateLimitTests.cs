using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Zones.Handlers.Guards;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Guards;

/// <summary>ratelimit: exact counts under a burst, Retry-After, other clients and users unaffected, the three algorithms, bounded memory under many addresses, idle clients forgotten, metrics.</summary>
// Alone, after the parallel tests: the bounded-memory test reads the whole process's heap, which
// other tests' servers and file caches grew by more than its bound while it ran (seen in full runs).
[Collection(nameof(AllocationSensitive))]
public sealed class RateLimitTests
{
    private static string Zones(string options, string prefix = "/api") => $$"""
        { "Prefix": "{{prefix}}", "Handler": "ratelimit", {{options}} },
        { "Prefix": "/", "Handler": "whoami" }
        """;

    /// <summary>A client whose connections come from <paramref name="source"/> (any 127.x.y.z: Linux routes all of 127.0.0.0/8 to loopback).</summary>
    private static HttpClient ClientFrom(IPAddress source, Uri baseAddress) =>
        new(new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    private static async Task<List<HttpResponseMessage>> BurstAsync(HttpClient client, int count, string path = "/api/x") =>
        [.. await Task.WhenAll(Enumerable.Range(0, count).Select(_ => client.GetAsync(path)))];

    [Theory]
    [InlineData("FixedWindow")]
    [InlineData("SlidingWindow")]
    [InlineData("TokenBucket")]
    public async Task A_burst_from_one_client_passes_exactly_the_limit_and_the_rest_get_429_with_retry_after_while_another_client_is_unaffected(string algorithm)
    {
        await using var host = await GuardHost.StartAsync(Zones($"\"Algorithm\": \"{algorithm}\", \"PermitLimit\": 5, \"Window\": \"00:01:00\""));
        using var first = ClientFrom(IPAddress.Parse("127.0.0.1"), host.BaseAddress);
        using var second = ClientFrom(IPAddress.Parse("127.0.0.2"), host.BaseAddress);

        var burst = await BurstAsync(first, 20);
        Assert.Equal(5, burst.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = burst.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(15, refused.Count);
        foreach (var response in refused)
        {
            var seconds = response.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
            Assert.InRange(seconds, 1, 60); // within the window, and never "0"
            Assert.Contains("try again in", await response.Content.ReadAsStringAsync());
        }
        Assert.Equal("(nobody)", await first.GetStringAsync("/elsewhere")); // outside the zone: not counted

        var other = await BurstAsync(second, 5);
        Assert.All(other, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task Partitioned_by_user_two_tokens_from_one_address_have_a_limit_each()
    {
        await using var host = await GuardHost.StartAsync($$"""
            { "Prefix": "/", "Handler": "bearer", "Tokens": { "ann": "{{TokenHash.Of("ann-token")}}", "bob": "{{TokenHash.Of("bob-token")}}" } },
            { "Prefix": "/", "Handler": "ratelimit", "PartitionBy": "User", "PermitLimit": 2, "Window": "00:01:00" },
            { "Prefix": "/", "Handler": "whoami" }
            """);
        using var client = host.Client();
        async Task<HttpStatusCode> AsAsync(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/x");
            request.Headers.Authorization = new("Bearer", token);
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], [await AsAsync("ann-token"), await AsAsync("ann-token"), await AsAsync("ann-token")]);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], [await AsAsync("bob-token"), await AsAsync("bob-token")]);
    }

    [Fact]
    public async Task Many_loopback_addresses_through_the_listener_are_tracked_up_to_max_clients_and_the_rest_share_one_limit()
    {
        await using var host = await GuardHost.StartAsync(Zones("\"PermitLimit\": 1, \"Window\": \"00:01:00\", \"MaxClients\": 10"));
        var passed = 0;
        for (var i = 1; i <= 40; i++)
        {
            using var client = ClientFrom(IPAddress.Parse($"127.0.1.{i}"), host.BaseAddress);
            using var response = await client.GetAsync("/api/x");
            if (response.StatusCode == HttpStatusCode.OK) passed++;
        }
        // Ten clients tracked with a permit each; the thirty after them share the overflow's one.
        Assert.Equal(11, passed);
    }

    [Fact]
    public async Task A_hundred_thousand_distinct_addresses_leave_the_table_and_the_heap_bounded()
    {
        var handler = new RateLimitHandler(new RateLimitOptions { PermitLimit = 1, Window = TimeSpan.FromMinutes(1), MaxClients = 1000 },
            new ZoneInfo(0, "/", "ratelimit", null, "zones.json"));
        var zone = new Zone("/", handler);
        var head = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var passed = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var request = HttpRequest.Parse(head);
            request.RemoteEndPoint = new IPEndPoint(new IPAddress([10, (byte)(i >> 16), (byte)(i >> 8), (byte)i]), 40000);
            var result = await handler.HandleAsync(new ZoneContext(new ZoneState(request), zone));
            if (result.Kind == ZoneResultKind.Pass) passed++;
        }
        Assert.InRange(handler.TrackedClients, 1, 1000);
        Assert.InRange(passed, 1000, 1001); // a permit each for the tracked, one shared by the flood
        var grown = GC.GetTotalMemory(forceFullCollection: true) - before;
        // A thousand limiters and their keys: well under a few MiB (100,000 would be tens of MiB).
        Assert.True(grown < 4 * 1024 * 1024, $"the heap grew {grown / 1024} KiB");
        GC.KeepAlive(handler);
    }

    [Fact]
    public async Task Idle_clients_are_forgotten_once_their_window_has_passed()
    {
        // Long enough that none is forgotten before all 50 are counted, even if a loaded machine
        // pauses the loop (a 200 ms window let the first go after about 300 ms); short enough to wait for.
        var handler = new RateLimitHandler(new RateLimitOptions { PermitLimit = 2, Window = TimeSpan.FromSeconds(2) },
            new ZoneInfo(0, "/", "ratelimit", null, "zones.json"));
        var zone = new Zone("/", handler);
        for (var i = 0; i < 50; i++)
        {
            var request = HttpRequest.Parse("GET / HTTP/1.1\r\nHost: t\r\n\r\n"u8);
            request.RemoteEndPoint = new IPEndPoint(IPAddress.Parse($"10.0.0.{i}"), 1);
            await handler.HandleAsync(new ZoneContext(new ZoneState(request), zone));
        }
        Assert.Equal(50, handler.TrackedClients);
        await Wait.UntilAsync(() => handler.TrackedClients == 0, "idle clients to be forgotten");
    }

    [Fact]
    public async Task Allowed_and_rejected_requests_are_counted_on_the_zones_guards_meter()
    {
        long allowed = 0, rejected = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == "Zones.Guards") l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key != "zone" || (string?)tag.Value != "/metered") continue;
                if (instrument.Name == "zones.ratelimit.allowed") Interlocked.Add(ref allowed, value);
                if (instrument.Name == "zones.ratelimit.rejected") Interlocked.Add(ref rejected, value);
            }
        });
        listener.Start();
        await using var host = await GuardHost.StartAsync(Zones("\"PermitLimit\": 3", prefix: "/metered"));
        using var client = host.Client();
        foreach (var response in await BurstAsync(client, 7, "/metered")) response.Dispose();
        Assert.Equal(3, Interlocked.Read(ref allowed));
        Assert.Equal(4, Interlocked.Read(ref rejected));
    }

    [Fact]
    public void Options_need_a_permit_limit_and_a_sane_window()
    {
        var zone = new ZoneInfo(0, "/", "ratelimit", null, "zones.json");
        Assert.Contains("ratelimit needs \"PermitLimit\"", Assert.Single(new RateLimitOptions().Validate(zone)));
        var problems = new RateLimitOptions
        {
            PermitLimit = 1, Window = TimeSpan.Zero, Algorithm = RateLimitAlgorithm.SlidingWindow, SegmentsPerWindow = 0, TokensPerPeriod = -1, MaxClients = 0,
        }.Validate(zone).ToList();
        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("\"Window\""));
        Assert.Contains(problems, p => p.StartsWith("\"SegmentsPerWindow\""));
        Assert.Contains(problems, p => p.StartsWith("\"TokensPerPeriod\""));
        Assert.Contains(problems, p => p.StartsWith("\"MaxClients\""));
    }

    [Fact]
    public async Task An_unknown_algorithm_in_zones_json_stops_the_start_naming_the_entry()
    {
        var folder = Directory.CreateTempSubdirectory("zones-guards-").FullName;
        try
        {
            var path = GuardHost.WriteZones(folder, """{ "Prefix": "/api", "Handler": "ratelimit", "Algorithm": "LeakyBucket", "PermitLimit": 1 }""");
            var e = await Assert.ThrowsAsync<Zones.Hosting.ZoneConfigurationException>(() => TestHost.StartAsync(["--zones", path, "--urls", "http://127.0.0.1:0"]));
            Assert.Contains(e.Problems, p => p.StartsWith("Zones[0] (Prefix \"/api\")") && p.Contains("LeakyBucket"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
