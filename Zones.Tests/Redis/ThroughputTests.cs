using System.Diagnostics;
using Zones.Handlers.Feeds;
using Zones.Tests.Feeds;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Redis;

/// <summary>
/// The bounded variant of bench/feeds-soak.sh (10,000 events/s for 30 s): a burst through three
/// instances reaches every subscriber whole and in order, and nothing piles up in memory.
/// </summary>
public sealed class ThroughputTests
{
    [Fact(Timeout = 120_000)]
    public async Task Ten_thousand_events_through_three_instances_reach_every_subscriber_in_order_with_memory_flat()
    {
        const int Events = 10_000;
        await using var redis = await RedisServer.StartAsync();
        var prefix = RedisInstance.NewPrefix();
        var instances = new List<RedisInstance>();
        try
        {
            // A subscriber may fall 4,096 events behind before it is dropped: room for a loaded machine's stalls at this rate.
            for (var i = 0; i < 3; i++) instances.Add(await RedisInstance.StartAsync(redis.Configuration, prefix, o => o.SubscriberQueueSize = 4096));
            var start = await instances[0].Feeds.PublishAsync("news", "message", "start");
            var readers = new List<Task<long>>();
            var clients = new List<HttpClient>();
            foreach (var instance in instances)
            {
                var client = instance.CreateClient();
                clients.Add(client);
                for (var i = 0; i < 4; i++)
                {
                    var (response, stream) = await instance.OpenStreamAsync(client, "news", start.Id);
                    readers.Add(ReadInOrderAsync(response, stream, start.Position, Events));
                }
            }
            await Wait.UntilAsync(() => instances.All(i => i.Feeds.SubscriberCount("news") == 4), "12 subscribers");

            // 2,000 events/s from all three instances (16 publishers in flight at most); the heap is sampled after warm-up and at the end.
            const int PerSecond = 2000;
            long warm = 0;
            var clock = Stopwatch.StartNew();
            var next = 0;
            await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
            {
                int n;
                while ((n = Interlocked.Increment(ref next)) <= Events)
                {
                    var due = TimeSpan.FromSeconds(n / (double)PerSecond) - clock.Elapsed;
                    if (due > TimeSpan.Zero) await Task.Delay(due);
                    await instances[n % 3].Feeds.PublishAsync("news", "message", $"event {n} {new string('x', 100)}");
                    if (n == Events / 5) warm = HeapAfterCollection();
                }
            }));
            var published = clock.Elapsed;
            var last = await Task.WhenAll(readers);
            Assert.All(last, offset => Assert.Equal(start.Offset + Events, offset));
            var end = HeapAfterCollection();
            Assert.True(end - warm < 32 * 1024 * 1024, $"the heap grew by {(end - warm) / 1024} KiB during the burst ({Events} events in {published.TotalSeconds:0.0} s)");
            foreach (var client in clients) client.Dispose();
        }
        finally
        {
            foreach (var instance in instances) await instance.DisposeAsync();
        }
    }

    /// <summary>Reads until the offset <paramref name="count"/> past <paramref name="after"/>, checking each event follows the one before.</summary>
    private static async Task<long> ReadInOrderAsync(HttpResponseMessage response, SseClient stream, FeedPosition after, int count)
    {
        using (response)
        using (stream)
        {
            var expected = after.Offset;
            while (expected < after.Offset + count)
            {
                var e = await stream.ReadEventAsync(TimeSpan.FromSeconds(60));
                Assert.True(FeedPosition.TryParse(e.Id, out var position));
                Assert.Equal(new FeedPosition(after.Epoch, expected + 1), position); // the next one: no gap, no repeat, no reset
                expected = position.Offset;
            }
            return expected;
        }
    }

    private static long HeapAfterCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
