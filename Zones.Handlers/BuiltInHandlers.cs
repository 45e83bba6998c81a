using Microsoft.Extensions.DependencyInjection;
using Zones.Handlers.WebSockets;

namespace Zones.Handlers;

public static class BuiltInHandlers
{
    /// <summary>Registers every built-in handler under its zones.json name.</summary>
    public static IServiceCollection AddBuiltInZoneHandlers(this IServiceCollection services)
    {
        services.AddZoneHandler<NotFoundHandler>("notfound");
        services.AddZoneHandler<ForbiddenHandler>("forbidden");
        services.AddZoneHandler<RedirectHandler, RedirectOptions>("redirect");
        services.AddZoneHandler<VarsHandler>("vars");
        services.AddZoneHandler<WebSocketHandler, WebSocketZoneOptions>("websocket");
        services.AddBuiltInWebSocketEndpoints();
        return services;
    }
}
