using Microsoft.Extensions.Logging.Abstractions;
using Zones.Handlers.Feeds;
using Zones.Host;

namespace Zones.Tests.Feeds;

/// <summary>The demo's clock: it ticks into its feed, and a stop ends it without an exception (a cancelled timer wait would throw one, and a native build spends milliseconds on its stack trace).</summary>
public sealed class ClockPublisherTests
{
    [Fact]
    public async Task The_clock_ticks_into_its_feed_and_a_stop_ends_it_without_an_exception()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { Names = [ClockPublisher.Feed] });
        using var ticks = feeds.Subscribe(ClockPublisher.Feed);
        using var clock = new ClockPublisher(feeds, NullLogger<ClockPublisher>.Instance) { Interval = TimeSpan.FromMilliseconds(20) };
        await clock.StartAsync(CancellationToken.None);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var first = await ticks.Events.ReadAsync(timeout.Token);
        var second = await ticks.Events.ReadAsync(timeout.Token); // from the timer, not only the first publish
        Assert.Equal("tick", first.Name);
        Assert.True(DateTimeOffset.TryParse(second.Data, out _), $"not a time: {second.Data}");

        await clock.StopAsync(CancellationToken.None);
        Assert.True(clock.ExecuteTask!.IsCompletedSuccessfully, $"the clock ended {clock.ExecuteTask.Status}");
    }
}
