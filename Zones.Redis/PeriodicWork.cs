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
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token)) await round(_stopping.Token);
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
