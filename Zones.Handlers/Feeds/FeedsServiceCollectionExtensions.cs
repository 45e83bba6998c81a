using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Zones.Handlers.Feeds;

/// <summary>Adds the feeds that eventstream, longpoll, publish and the feed endpoint share.</summary>
public static class FeedsServiceCollectionExtensions
{
    /// <summary>Adds the in-process <see cref="IFeeds"/> (once), configured from <see cref="FeedsOptions"/>.</summary>
    public static IServiceCollection AddZonesFeeds(this IServiceCollection services, Action<FeedsOptions>? configure = null)
    {
        var options = services.AddOptions<FeedsOptions>();
        if (configure is not null) options.Configure(configure);
        services.TryAddSingleton<IFeeds>(sp => new InProcessFeeds(sp.GetRequiredService<IOptions<FeedsOptions>>().Value));
        return services;
    }
}
