namespace Zones.Tests.Infrastructure;

/// <summary>
/// For state another thread changes that has no event to await (a connection count, a file
/// deleted after the response): polls it, and fails saying what it waited for when the deadline
/// passes. Where a signal exists (a TaskCompletionSource, a log line, a socket closing), await
/// that instead.
/// </summary>
public static class Wait
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited {limit.TotalSeconds:0.#} s for {what}.");
            await Task.Delay(10);
        }
    }
}
