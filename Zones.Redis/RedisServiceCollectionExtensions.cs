using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Zones.Handlers.Feeds;
using Zones.Handlers.WebSockets;

namespace Zones.Redis;

/// <summary>Puts the feeds and the WebSocket hub's groups on Redis, so several Zones instances share them.</summary>
public static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// Shares the feeds and the WebSocket hub's groups through Redis, configured from
    /// <paramref name="section"/> ("Feeds:Redis" in zones.json). Replaces the in-process
    /// <see cref="IFeeds"/>; the "Feeds" options (BufferSize, SubscriberQueueSize, MaxFeeds,
    /// Names) still apply.
    /// </summary>
    public static IServiceCollection AddZonesRedis(this IServiceCollection services, IConfigurationSection section)
    {
        services.AddOptions<RedisFeedsOptions>().Configure(options => section.Bind(options));
        return services.AddZonesRedisServices();
    }

    /// <summary>
    /// Scale-out when the configuration asks for it: with a "Feeds:Redis" section (zones.json,
    /// ZONES_Feeds__Redis__Configuration=…) the Redis backend is added and its options are checked
    /// at start, naming the zone file; without one nothing changes. Zones.Host calls this.
    /// </summary>
    public static IServiceCollection AddZonesRedisWhenConfigured(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("Feeds:Redis");
        if (!section.Exists()) return services;
        services.AddZonesRedis(section);
        services.AddOptions<RedisFeedsOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<RedisFeedsOptions>, RedisOptionsValidator>();
        return services;
    }

    /// <summary>The same, configured in code: <c>services.AddZonesRedis(o => o.Configuration = "127.0.0.1:6379")</c>.</summary>
    public static IServiceCollection AddZonesRedis(this IServiceCollection services, Action<RedisFeedsOptions> configure)
    {
        services.AddOptions<RedisFeedsOptions>().Configure(configure);
        return services.AddZonesRedisServices();
    }

    private static IServiceCollection AddZonesRedisServices(this IServiceCollection services)
    {
        services.AddZonesFeeds();
        services.TryAddSingleton(sp => new RedisConnection(sp.GetRequiredService<IOptions<RedisFeedsOptions>>().Value, sp.GetRequiredService<ILogger<RedisConnection>>()));
        services.TryAddSingleton(sp => new RedisFeeds(sp.GetRequiredService<IOptions<FeedsOptions>>().Value, sp.GetRequiredService<IOptions<RedisFeedsOptions>>().Value,
            sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<ILogger<RedisFeeds>>()));
        services.RemoveAll<IFeeds>();
        services.AddSingleton<IFeeds>(sp => sp.GetRequiredService<RedisFeeds>());
        services.TryAddSingleton(sp => new RedisBackplane(sp.GetRequiredService<IOptions<RedisFeedsOptions>>().Value, sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<ILogger<RedisBackplane>>()));
        services.TryAddSingleton<IWebSocketBackplane>(sp => sp.GetRequiredService<RedisBackplane>());
        return services;
    }
}
