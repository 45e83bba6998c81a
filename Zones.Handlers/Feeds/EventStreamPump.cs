using System.Buffers;

namespace Zones.Handlers.Feeds;

/// <summary>
/// Writes a subscription's events to an event stream as they come: everything already queued
/// goes out in one write, and when nothing was sent for a heartbeat period a comment line is,
/// so proxies keep the stream open.
/// </summary>
internal static class EventStreamPump
{
    private const int MaxWrite = 64 * 1024;

    /// <summary>Runs until the subscription ends (disposed) or <paramref name="cancellationToken"/> fires.</summary>
    public static async Task RunAsync(Stream stream, FeedSubscription subscription, EventStreamOptions options, CancellationToken cancellationToken)
    {
        var output = new ArrayBufferWriter<byte>(4096);
        ServerSentEvents.WriteRetry(output, options.RetryMilliseconds);
        var events = subscription.Events;
        var period = options.HeartbeatSeconds > 0 ? TimeSpan.FromSeconds(options.HeartbeatSeconds) : Timeout.InfiniteTimeSpan;
        // The wait for events is also the heartbeat's timer: it is cancelled when a period passes.
        // One wait per wake-up, awaited directly, costs far less than racing two tasks, and a
        // stream of a busy feed wakes up for every event.
        var beat = NewBeat(cancellationToken, period);
        var quiet = true; // nothing written since the heartbeat timer was set
        try
        {
            while (true)
            {
                while (output.WrittenCount < MaxWrite && events.TryRead(out var e)) output.Write(e.ServerSentEvent);
                if (output.WrittenCount > 0)
                {
                    await stream.WriteAsync(output.WrittenMemory, cancellationToken);
                    output.ResetWrittenCount();
                    quiet = false;
                    continue;
                }
                try
                {
                    if (!await events.WaitToReadAsync(beat.Token)) return; // the subscription was disposed
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // A heartbeat period passed: a comment if nothing else was sent in it.
                    if (quiet) ServerSentEvents.WriteComment(output, "heartbeat");
                    quiet = true;
                    beat.Dispose();
                    beat = NewBeat(cancellationToken, period);
                }
            }
        }
        finally
        {
            beat.Dispose();
        }
    }

    private static CancellationTokenSource NewBeat(CancellationToken stop, TimeSpan period)
    {
        var beat = CancellationTokenSource.CreateLinkedTokenSource(stop);
        beat.CancelAfter(period);
        return beat;
    }
}
