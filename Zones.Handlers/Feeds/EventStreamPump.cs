using System.Buffers;

namespace Zones.Handlers.Feeds;

/// <summary>
/// Writes a subscription's events to an event stream as they come: everything already queued
/// goes out in one write, and when nothing was sent for a heartbeat period a comment line is,
/// so proxies keep the stream open.
/// </summary>
internal static class EventStreamPump
{
    /// <summary>Runs until the subscription ends (disposed) or <paramref name="cancellationToken"/> fires.</summary>
    public static async Task RunAsync(Stream stream, FeedSubscription subscription, EventStreamOptions options, CancellationToken cancellationToken)
    {
        var output = new ArrayBufferWriter<byte>(4096);
        ServerSentEvents.WriteRetry(output, options.RetryMilliseconds);
        var events = subscription.Events;
        using var heartbeat = options.HeartbeatSeconds > 0 ? new PeriodicTimer(TimeSpan.FromSeconds(options.HeartbeatSeconds)) : null;
        Task<bool>? ready = null;
        Task<bool>? tick = null;
        var quiet = true; // nothing written since the last heartbeat tick
        while (true)
        {
            while (output.WrittenCount < 64 * 1024 && events.TryRead(out var e)) ServerSentEvents.WriteEvent(output, e);
            if (output.WrittenCount > 0)
            {
                await stream.WriteAsync(output.WrittenMemory, cancellationToken);
                output.ResetWrittenCount();
                quiet = false;
                continue;
            }

            if (heartbeat is null)
            {
                // One wait at a time: awaited directly, no Task to allocate.
                if (!await events.WaitToReadAsync(cancellationToken)) return; // the subscription was disposed
                continue;
            }
            ready ??= events.WaitToReadAsync(cancellationToken).AsTask();
            // Both waits are kept across turns, so a heartbeat never leaves a read behind or the other way round.
            tick ??= heartbeat.WaitForNextTickAsync(cancellationToken).AsTask();
            if (await Task.WhenAny(ready, tick) == ready)
            {
                if (!await ready) return; // the subscription was disposed
                ready = null;
                continue;
            }
            await tick;
            tick = null;
            if (quiet) ServerSentEvents.WriteComment(output, "heartbeat");
            quiet = true;
        }
    }
}
