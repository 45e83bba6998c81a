using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using Zones.Pipeline;
using Zones.Server;

namespace Zones.Hosting;

/// <summary>Adds the zone server to a generic host of your own (<see cref="ZonesServiceCollectionExtensions.AddZones"/>); Zones.Hosting's ZonesHost does this for you.</summary>
public static class ZonesServiceCollectionExtensions
{
    /// <summary>
    /// Adds the zone server: "Server" options (validated at start), the zone table built from
    /// "Zones" and reloaded when the configuration changes, and the hosted service that runs it.
    /// </summary>
    public static IServiceCollection AddZones(this IServiceCollection services, IConfiguration configuration, ZoneFile zoneFile)
    {
        services.TryAddSingleton(zoneFile);
        services.AddOptions<ServerOptions>().Bind(configuration.GetSection("Server")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();
        // Certificate and authority paths in zones.json start at the zone file's folder, as roots do.
        services.PostConfigure<ServerOptions>(options => options.ResolvePaths(Path.GetDirectoryName(zoneFile.Path)!));
        services.TryAddSingleton(sp => new ZoneTableBuilder(sp.GetServices<ZoneHandlerRegistration>(), sp));
        services.TryAddSingleton(sp => new ReloadingZoneTableSource(configuration, sp.GetRequiredService<ZoneFile>(),
            sp.GetRequiredService<ZoneTableBuilder>(), sp.GetRequiredService<ILogger<ReloadingZoneTableSource>>()));
        services.TryAddSingleton<IZoneTableSource>(sp => sp.GetRequiredService<ReloadingZoneTableSource>());
        services.TryAddSingleton<ZoneServerHostedService>();
        services.AddHostedService(sp => sp.GetRequiredService<ZoneServerHostedService>());
        return services;
    }
}
