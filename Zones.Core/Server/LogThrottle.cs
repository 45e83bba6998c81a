namespace Zones.Server;

/// <summary>
/// At most one log line a minute for a condition that repeats for as long as it lasts (out of
/// file descriptors: every accept and every file open fails), with the count the minute held.
/// </summary>
/// <param name="clock">Milliseconds, rising (Environment.TickCount64; tests pass their own).</param>
internal sealed class LogThrottle(Func<long>? clock = null)
{
    private const long EveryMilliseconds = 60_000;
    private readonly Func<long> _clock = clock ?? (static () => Environment.TickCount64);
    private readonly Lock _lock = new();
    private long _lastLogged = long.MinValue;
    private int _unlogged;

    /// <summary>True when this occurrence is to be logged; <paramref name="unlogged"/> is how many were not since the last.</summary>
    public bool ShouldLog(out int unlogged)
    {
        lock (_lock)
        {
            var now = _clock();
            if (_lastLogged != long.MinValue && now - _lastLogged < EveryMilliseconds)
            {
                _unlogged++;
                unlogged = 0;
                return false;
            }
            unlogged = _unlogged;
            _unlogged = 0;
            _lastLogged = now;
            return true;
        }
    }
}
