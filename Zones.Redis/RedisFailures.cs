using StackExchange.Redis;
using Zones.Handlers.Feeds;

namespace Zones.Redis;

/// <summary>Which exceptions mean "Redis cannot serve us now", and how they reach callers: as <see cref="FeedsUnavailableException"/>.</summary>
internal static class RedisFailures
{
    public const string Unavailable = "The feeds' store (Redis) cannot be reached now; try again when it is back.";

    /// <summary>
    /// Connection lost or refused, a timeout, or a server that answers with an error it gives while
    /// it cannot serve (LOADING after a restart, OOM, READONLY on a replica): all pass when Redis
    /// is back, so all are "unavailable", never a crash.
    /// </summary>
    public static bool IsUnavailable(Exception e) =>
        e is RedisConnectionException or RedisTimeoutException or RedisServerException or ObjectDisposedException;

    public static FeedsUnavailableException Wrap(Exception e) => new(Unavailable, e);
}
