using Zones.Tests.Infrastructure;
using Zones.Redis;

namespace Zones.Tests.Redis;

/// <summary>The backplane's periodic rounds: they run every interval, a dispose waits for the round in progress, and none starts after it.</summary>
public sealed class PeriodicWorkTests
{
    [Fact]
    public async Task Rounds_run_until_dispose_which_waits_for_the_round_in_progress()
    {
        var rounds = 0;
        var inRound = new SemaphoreSlim(0);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        CancellationToken held = default;
        var work = new PeriodicWork(TimeSpan.FromMilliseconds(10), async token =>
        {
            if (Interlocked.Increment(ref rounds) == 3)
            {
                held = token;
                inRound.Release();
                await release.Task; // a round that takes its time, ignoring the token
            }
        });
        Assert.True(await inRound.WaitAsync(TimeSpan.FromSeconds(10)), "the third round never started");

        var disposing = work.DisposeAsync().AsTask();
        await Wait.UntilAsync(() => held.IsCancellationRequested, "the round in progress to see the stop");
        await Task.Delay(50);
        Assert.False(disposing.IsCompleted, "dispose returned while a round was still running");
        release.SetResult();
        await disposing.WaitAsync(TimeSpan.FromSeconds(10));

        var after = Volatile.Read(ref rounds);
        await Task.Delay(100); // ten intervals
        Assert.Equal(after, Volatile.Read(ref rounds));
        await work.DisposeAsync(); // a second dispose does nothing
    }
}
