using Zones.Handlers.Feeds;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Redis;

/// <summary>
/// One test's scaled-out site: a redis-server of its own and <see cref="RedisInstance"/>s on it
/// that share a fresh key prefix. Disposing stops the instances, then Redis.
/// </summary>
public sealed class RedisSite : IAsyncDisposable
{
    private readonly List<RedisInstance> _instances = [];

    private RedisSite(RedisServer redis) => Redis = redis;

    public RedisServer Redis { get; }

    /// <summary>The key prefix all of this site's instances use.</summary>
    public string Prefix { get; } = RedisInstance.NewPrefix();

    public IReadOnlyList<RedisInstance> Instances => _instances;

    public RedisInstance this[int index] => _instances[index];

    /// <summary>Starts Redis and <paramref name="instances"/> instances on it; <paramref name="feeds"/> sets each one's Feeds options.</summary>
    public static async Task<RedisSite> StartAsync(int instances, Action<FeedsOptions>? feeds = null)
    {
        var site = new RedisSite(await RedisServer.StartAsync());
        try
        {
            for (var i = 0; i < instances; i++) site._instances.Add(await RedisInstance.StartAsync(site.Redis.Configuration, site.Prefix, feeds));
            return site;
        }
        catch
        {
            await site.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances) await instance.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
