namespace Zones.Redis;

/// <summary>
/// A round of background work every interval until disposed (the backplane's resubscription,
/// the feeds' position check). Disposing stops it and waits for a round in progress; a second
/// dispose does nothing, since the container disposes a service registered as itself and as
/// its interface twice. A round that throws OperationCanceledException ends the work.
/// </summary>
internal sealed class PeriodicWork : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private int _disposed;

    public PeriodicWork(TimeSpan interval, Func<CancellationToken, Task> round) => _loop = RunAsync(interval, round);

    private async Task RunAsync(TimeSpan interval, Func<CancellationToken, Task> round)
    {
        using var timer = new PeriodicTimer(interval);
        // Disposing ends the wait by disposing the timer (the wait then returns false) rather than
        // by cancelling it: a cancelled wait throws, and building its stack trace costs a native
        // build milliseconds. A round in progress still sees the token.
        using var stop = _stopping.Token.Register(static t => ((PeriodicTimer)t!).Dispose(), timer);
        try
        {
            while (await timer.WaitForNextTickAsync()) await round(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stopping.CancelAsync();
        await _loop;
        _stopping.Dispose();
    }
}
