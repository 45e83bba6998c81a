using System.Diagnostics;
using Zones.Handlers.Feeds;
using Zones.Tests.Feeds;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Redis;

/// <summary>
/// What bench/feeds.sh soak measures, as a test: 10,000 events/s for 30 s through three instances
/// reach every subscriber whole and in order, and nothing piles up in memory. The rate is the
/// publishers' pace, not asserted (a loaded machine may fall behind it); the test prints what it got.
/// </summary>
[Collection(nameof(AllocationSensitive))] // the heap is the whole process's: other tests running beside it would add theirs
public sealed class ThroughputTests(ITestOutputHelper output)
{
    [Fact(Timeout = 180_000)]
    public async Task Ten_thousand_events_a_second_for_30_s_through_three_instances_reach_every_subscriber_in_order_with_memory_flat()
    {
        const int PerSecond = 10_000, Seconds = 30, Events = PerSecond * Seconds;
        // A subscriber may fall 4,096 events behind before it is dropped: room for a loaded machine's stalls at this rate.
        await using var site = await RedisSite.StartAsync(3, o => o.SubscriberQueueSize = 4096);
        var instances = site.Instances;
        var start = await instances[0].Feeds.PublishAsync("news", "message", "start");
        var readers = new List<Task<long>>();
        foreach (var instance in instances)
        {
            for (var i = 0; i < 4; i++)
            {
                var (response, stream) = await instance.OpenStreamAsync("news", start.Id);
                readers.Add(ReadInOrderAsync(response, stream, start.Position, Events));
            }
        }
        await Wait.UntilAsync(() => instances.All(i => i.Feeds.SubscriberCount("news") == 4), "12 subscribers");

        // 10,000 events/s from all three instances (16 publishers in flight at most); the heap is sampled after warm-up and at the end.
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
                if (n == Events / 5) warm = Heap.AfterCollection();
            }
        }));
        var published = clock.Elapsed;
        var last = await Task.WhenAll(readers);
        Assert.All(last, offset => Assert.Equal(start.Offset + Events, offset));
        var end = Heap.AfterCollection();
        output.WriteLine($"{Events} events published in {published.TotalSeconds:0.0} s ({Events / published.TotalSeconds:0} events/s); heap {warm / 1024} KiB after warm-up, {end / 1024} KiB at the end");
        Assert.True(end - warm < 32 * 1024 * 1024, $"the heap grew by {(end - warm) / 1024} KiB during the burst ({Events} events in {published.TotalSeconds:0.0} s)");
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
}
