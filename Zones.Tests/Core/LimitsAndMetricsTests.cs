using System.Diagnostics.Metrics;
using System.Net;
using Zones.Server;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Core;

public sealed class LimitsAndMetricsTests
{
    [Fact]
    public async Task Connections_over_MaxConnections_get_503_and_are_closed_while_the_others_are_served()
    {
        var release = new TaskCompletionSource();
        await using var server = await TestServer.StartAsync(
            [TestServer.Zone("/hold", async _ => { await release.Task; return ZoneResult.Respond(ZoneResponse.Text("held")); }),
             TestServer.Zone("/", _ => ZoneResult.Respond(ZoneResponse.Text("ok")))],
            o => o.Limits.MaxConnections = 2);
        await using var a = await server.ConnectAsync();
        await using var b = await server.ConnectAsync();
        await a.SendAsync("GET /hold HTTP/1.1\r\nHost: t\r\n\r\n");
        await b.SendAsync("GET /hold HTTP/1.1\r\nHost: t\r\n\r\n");
        await Wait.UntilAsync(() => server.Server.ConnectionCount == 2, "both held connections to be counted");

        await using var excess = await server.ConnectAsync();
        await excess.SendAsync("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
        var refused = await excess.ReadResponseAsync();
        Assert.Equal(503, refused.Status);
        Assert.Equal("1", refused.Headers["Retry-After"]);
        Assert.Equal("503 Service Unavailable\ntoo many connections\n", refused.BodyText);
        Assert.True(await excess.WaitForCloseAsync());

        // A flood over the limit: each refused, one warning for all of them.
        for (var i = 0; i < 20; i++)
        {
            await using var more = await server.ConnectAsync();
            Assert.Equal(503, (await more.ReadResponseAsync()).Status);
        }
        var warning = Assert.Single(server.Logs.Entries, e => e.Message.StartsWith("Refused a connection", StringComparison.Ordinal));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.Contains("2 connections open, the limit (MaxConnections)", warning.Message);

        release.SetResult();
        Assert.Equal("held", (await a.ReadResponseAsync()).BodyText);
        Assert.Equal("held", (await b.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task Without_MaxConnections_the_descriptors_set_the_limit_and_a_MaxConnections_past_them_is_warned_of_at_start()
    {
        Requires.Linux("/proc/self/limits");
        await using (var left = await TestServer.StartAsync(TestServer.Zone("/", _ => ZoneResult.Respond(ZoneResponse.Text("ok")))))
        {
            Assert.NotNull(left.Server.ConnectionLimit);
            Assert.True(left.Server.ConnectionLimit < DescriptorLimit.Read("/proc/self/limits"));
            Assert.DoesNotContain(left.Logs.Entries, e => e.Message.Contains("file descriptors", StringComparison.Ordinal));
        }
        await using var over = await TestServer.StartAsync([TestServer.Zone("/", _ => ZoneResult.Respond(ZoneResponse.Text("ok")))], o => o.Limits.MaxConnections = int.MaxValue);
        Assert.Equal(int.MaxValue, over.Server.ConnectionLimit); // set is set: the warning says what it risks
        var warning = Assert.Single(over.Logs.Entries, e => e.Message.Contains("file descriptors this process may open", StringComparison.Ordinal));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.Contains($"MaxConnections {int.MaxValue} is more than", warning.Message);
    }

    [Fact]
    public async Task A_handler_that_fails_for_want_of_a_descriptor_gets_503_with_retry_after_and_one_warning()
    {
        // What File.Open throws at EMFILE: an IOException with the raw errno (24) as its HResult.
        await using var server = await TestServer.StartAsync(TestServer.Zone("/", _ => throw new IOException("Too many open files : '/srv/www/a.txt'", 24)));
        for (var i = 0; i < 5; i++)
        {
            await using var conn = await server.ConnectAsync();
            await conn.SendAsync("GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\n");
            var answer = await conn.ReadResponseAsync();
            Assert.Equal(503, answer.Status);
            Assert.Equal("1", answer.Headers["Retry-After"]);
            Assert.Equal("close", answer.Headers["Connection"]); // its descriptor is given back
            Assert.True(await conn.WaitForCloseAsync());
        }
        var warning = Assert.Single(server.Logs.Entries, e => e.Message.StartsWith("Out of file descriptors", StringComparison.Ordinal));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.DoesNotContain(server.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task Counters_report_connections_requests_status_classes_bytes_and_take_overs()
    {
        await using var server = await TestServer.StartAsync(
            TestServer.Zone("/ok", _ => ZoneResult.Respond(ZoneResponse.Text("12345"))),
            TestServer.Zone("/raw", _ => ZoneResult.TakeOver(_ => Task.CompletedTask)),
            TestServer.Zone("/", _ => ZoneResult.Respond(ZoneResponse.ForStatus(404))));
        var measurements = new List<(string Name, long Value, string? Tag)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Several servers run at once in the test run: listen to this one's meter only.
            if (instrument.Meter.Name == ZonesMetrics.MeterName && ReferenceEquals(instrument.Meter, server.Server.Metrics.Meter))
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? tag = null;
            foreach (var t in tags) tag = $"{t.Key}={t.Value}";
            lock (measurements) measurements.Add((instrument.Name, value, tag));
        });
        listener.Start();

        using (var client = server.CreateClient())
        {
            await client.GetStringAsync("/ok");
            await client.GetStringAsync("/ok");
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/missing")).StatusCode);
        }
        await using (var raw = await server.ConnectAsync())
        {
            await raw.SendAsync("GET /raw HTTP/1.1\r\nHost: t\r\n\r\n");
            Assert.True(await raw.WaitForCloseAsync());
        }
        await using (var bad = await server.ConnectAsync())
        {
            await bad.SendAsync("BROKEN\r\n\r\n");
            Assert.Equal(400, (await bad.ReadResponseAsync()).Status);
        }

        long Sum(string name, string? tag = null)
        {
            lock (measurements) return measurements.Where(m => m.Name == name && (tag is null || m.Tag == tag)).Sum(m => m.Value);
        }
        await Wait.UntilAsync(() => Sum("zones.connections.current") == 0, "zones.connections.current to fall back to 0");

        Assert.Equal(3, Sum("zones.connections.total"));
        Assert.Equal(0, Sum("zones.connections.current"));
        Assert.Equal(4, Sum("zones.requests"));
        Assert.Equal(2, Sum("zones.responses", "status_class=2xx"));
        Assert.Equal(2, Sum("zones.responses", "status_class=4xx"));
        Assert.Equal(1, Sum("zones.takeovers"));
        Assert.True(Sum("zones.bytes.sent") >= 10);
    }
}
