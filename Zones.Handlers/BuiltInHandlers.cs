using Microsoft.Extensions.DependencyInjection;

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
        services.AddZoneHandler<TemplateFileHandler, TemplateFileOptions>("templatefile", requiresRoot: true);
        services.AddZonesFeeds();
        services.AddZoneHandler<EventStreamHandler, EventStreamOptions>("eventstream");
        services.AddZoneHandler<LongPollHandler, LongPollOptions>("longpoll");
        services.AddZoneHandler<PublishHandler, PublishOptions>("publish");
        return services;
    }
}
