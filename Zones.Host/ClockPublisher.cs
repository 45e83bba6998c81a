using Microsoft.Extensions.Hosting;
using Zones.Handlers.Feeds;

namespace Zones.Host;

/// <summary>
/// The demo's heartbeat: publishes the time to the "clock" feed every second, so /live.html has
/// something to show over Server-Sent Events and /poll/clock over long-poll. The pattern for any
/// background producer: take <see cref="IFeeds"/> from DI and publish.
/// </summary>
public sealed class ClockPublisher(IFeeds feeds) : BackgroundService
{
    public const string Feed = "clock";

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            feeds.Publish(Feed, "tick", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
