using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Zones.Handlers.Guards;

/// <summary>
/// One System.Threading.RateLimiting limiter per client, bounded in memory: at most MaxClients
/// are tracked (a few more while threads race), and a flood of new addresses beyond that shares
/// one overflow limiter instead of growing the table. A heartbeat (like the BCL's partitioned
/// limiter) replenishes every limiter and forgets those that are idle — full again, so no state
/// is lost by dropping them. The heartbeat holds the table weakly and stops when a new zone
/// table has replaced the handler and it is collected.
/// </summary>
internal sealed class ClientLimiters
{
    private readonly ConcurrentDictionary<string, ReplenishingRateLimiter> _clients = new(StringComparer.Ordinal);
    private readonly Func<ReplenishingRateLimiter> _create;
    private readonly ReplenishingRateLimiter _overflow;
    private readonly int _maxClients;
    private readonly TimeSpan _idleAfter;

    public ClientLimiters(Func<ReplenishingRateLimiter> create, int maxClients)
    {
        _create = create;
        _maxClients = maxClients;
        _overflow = create();
        // Often enough for the shortest window to end on time (a tenth of it), seldom enough to be cheap.
        var tick = TimeSpan.FromTicks(Math.Clamp(_overflow.ReplenishmentPeriod.Ticks / 10, TimeSpan.TicksPerMillisecond * 100, TimeSpan.TicksPerSecond));
        _idleAfter = tick;
        Heartbeat.Start(this, tick);
    }

    /// <summary>Clients tracked now.</summary>
    public int Count => _clients.Count;

    public RateLimitLease Acquire(string client)
    {
        if (!_clients.TryGetValue(client, out var limiter))
            limiter = _clients.Count < _maxClients ? _clients.GetOrAdd(client, static (_, create) => create(), _create) : _overflow;
        return limiter.AttemptAcquire();
    }

    /// <summary>The heartbeat's work: replenish every limiter, forget the idle ones.</summary>
    internal void Replenish()
    {
        foreach (var (client, limiter) in _clients)
        {
            limiter.TryReplenish();
            // Not disposed: a request that just picked it up may still take a permit from it,
            // and a limiter without timers or queues holds nothing that needs releasing.
            if (limiter.IdleDuration >= _idleAfter) _clients.TryRemove(new KeyValuePair<string, ReplenishingRateLimiter>(client, limiter));
        }
        _overflow.TryReplenish();
    }

    private sealed class Heartbeat
    {
        private readonly WeakReference<ClientLimiters> _limiters;
        private readonly Timer _timer;

        private Heartbeat(ClientLimiters limiters, TimeSpan tick)
        {
            _limiters = new WeakReference<ClientLimiters>(limiters);
            _timer = new Timer(static state => ((Heartbeat)state!).Beat(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timer.Change(tick, tick);
        }

        public static void Start(ClientLimiters limiters, TimeSpan tick) => _ = new Heartbeat(limiters, tick);

        private void Beat()
        {
            if (_limiters.TryGetTarget(out var limiters)) limiters.Replenish();
            else _timer.Dispose();
        }
    }
}
