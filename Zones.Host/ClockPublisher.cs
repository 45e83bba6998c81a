using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Zones.Handlers.Feeds;

namespace Zones.Host;

/// <summary>
/// The demo's heartbeat: publishes the time to the "clock" feed every second, so /live.html has
/// something to show over Server-Sent Events and /poll/clock over long-poll. The pattern for any
/// background producer: take <see cref="IFeeds"/> from DI and publish. While the feeds' backend
/// (Redis) is down a tick is skipped, not queued: the next one says the time better.
/// </summary>
public sealed partial class ClockPublisher(IFeeds feeds, ILogger<ClockPublisher> logger) : BackgroundService
{
    public const string Feed = "clock";

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        // The stop ends the wait by disposing the timer (the wait then returns false), not by
        // cancelling it: a cancelled wait throws, and a native build spends milliseconds of
        // every stop building that exception's stack trace.
        using var stop = stoppingToken.Register(static t => ((PeriodicTimer)t!).Dispose(), timer);
        var missed = false;
        do
        {
            try
            {
                await feeds.PublishAsync(Feed, "tick", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), stoppingToken);
                missed = false;
            }
            catch (FeedsUnavailableException e)
            {
                if (!missed) LogSkipped(logger, e.Message); // once per outage, not every second
                missed = true;
            }
        }
        while (await timer.WaitForNextTickAsync());
    }

    [LoggerMessage(LogLevel.Warning, "Clock ticks are skipped until the feeds are back: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string reason);
}
