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
        // Static sites, Wibble's chain: dirslash, indexfile, contenttype, staticfile, dirlist.
        services.AddZoneHandler<DirSlashHandler, RootOptions>("dirslash", requiresRoot: true);
        services.AddZoneHandler<IndexFileHandler, IndexFileOptions>("indexfile", requiresRoot: true);
        services.AddZoneHandler<ContentTypeHandler, ContentTypeOptions>("contenttype");
        services.AddZoneHandler<StaticFileHandler, StaticFileOptions>("staticfile", requiresRoot: true);
        services.AddZoneHandler<DirListHandler, RootOptions>("dirlist", requiresRoot: true);
        services.AddZoneHandler<TemplateFileHandler, TemplateFileOptions>("templatefile", requiresRoot: true);
        services.AddZonesFeeds();
        services.AddZoneHandler<EventStreamHandler, EventStreamOptions>("eventstream");
        services.AddZoneHandler<LongPollHandler, LongPollOptions>("longpoll");
        services.AddZoneHandler<PublishHandler, PublishOptions>("publish");
        services.AddZoneHandler<WebSocketHandler, WebSocketZoneOptions>("websocket");
        services.AddBuiltInWebSocketEndpoints();
        return services;
    }
}
