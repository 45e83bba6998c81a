namespace Zones.Server;

/// <summary>
/// Accept failures come in bursts: out of file descriptors, every retry fails until a connection
/// closes, and then the backlog takes the freed descriptor at once. As Go's net/http does, the
/// accept loop waits between consecutive failures from 5 ms, doubling up to a second; and the
/// failures are logged at most once a minute. Retrying every 10 ms and logging each failure had
/// written 160 error lines, each with its stack trace, in the 2 s a flood past `ulimit -n` was held.
/// </summary>
/// <param name="clock">Milliseconds, rising (Environment.TickCount64; tests pass their own).</param>
internal sealed class AcceptFailures(Func<long>? clock = null)
{
    private static readonly TimeSpan FirstWait = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(1);

    private readonly LogThrottle _log = new(clock);
    private TimeSpan _wait; // zero after an accept that succeeded

    /// <summary>After an accept that succeeded: the next failure waits the shortest time again.</summary>
    public void Succeeded() => _wait = TimeSpan.Zero;

    /// <summary>
    /// Counts a failure and gives the wait before the next try. True when it is to be logged,
    /// with <paramref name="sinceLastLog"/> the failures left unlogged since the last time.
    /// </summary>
    public bool Failed(out TimeSpan wait, out int sinceLastLog)
    {
        _wait = _wait == TimeSpan.Zero ? FirstWait : _wait * 2 < LongestWait ? _wait * 2 : LongestWait;
        wait = _wait;
        return _log.ShouldLog(out sinceLastLog);
    }
}
