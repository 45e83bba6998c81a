using Microsoft.Extensions.DependencyInjection;
using Zones.Hosting;

namespace Zones.Host;

/// <summary>The demo's own handlers, by the names its zones.json uses; Program.cs calls this, and so do the tests that run the demo site.</summary>
public static class DemoHandlers
{
    public static IServiceCollection AddDemoHandlers(this IServiceCollection services)
    {
        services.AddZoneHandler<HelloHandler>("hello");
        services.AddZoneHandler<FeedListHandler>("feedlist"); // /admin, behind basicauth
        return services;
    }
}
