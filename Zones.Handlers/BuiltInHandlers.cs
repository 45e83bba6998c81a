using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Zones.Handlers.Guards;
using Zones.Handlers.WebSockets;
using Zones.Hosting;
using Zones.Handlers.Static;
using Zones.Handlers.Feeds;
using Zones.Handlers.Templates;

namespace Zones.Handlers;

/// <summary>The built-in handlers' registration: what zones.json's "Handler" names mean out of the box.</summary>
public static class BuiltInHandlers
{
    /// <summary>
    /// Registers every built-in handler under its zones.json name. Their options bind through code
    /// the configuration binding generator writes (<c>c.Bind(o)</c> with a concrete type), so the
    /// JIT and native AOT builds bind zones.json the same way.
    /// </summary>
    public static IServiceCollection AddBuiltInZoneHandlers(this IServiceCollection services)
    {
        services.AddZoneHandler<NotFoundHandler>("notfound");
        services.AddZoneHandler<ForbiddenHandler>("forbidden");
        services.AddZoneHandler<RedirectHandler, RedirectOptions>("redirect", bind: static (c, o) => c.Bind(o));
        services.AddZoneHandler<VarsHandler>("vars");
        services.AddZoneHandler<HttpsRedirectHandler, HttpsRedirectOptions>("httpsredirect", bind: static (c, o) => c.Bind(o));
        // Guards: pass the state on, or answer (401, 403, 429, a preflight) before the zones they protect.
        services.AddZoneHandler<BasicAuthHandler, BasicAuthOptions>("basicauth", bind: static (c, o) => c.Bind(o));
        services.AddZoneHandler<BearerHandler, BearerOptions>("bearer", bind: static (c, o) => c.Bind(o));
        services.AddZoneHandler<CorsHandler, CorsOptions>("cors", bind: static (c, o) => c.Bind(o));
        services.AddZoneHandler<HeadersHandler, HeadersOptions>("headers", bind: static (c, o) => c.Bind(o));
        services.AddZoneHandler<RateLimitHandler, RateLimitOptions>("ratelimit", bind: static (c, o) => c.Bind(o));
        // Static sites, Wibble's chain: dirslash, indexfile, contenttype, staticfile, dirlist.
        services.AddZoneHandler<DirSlashHandler, RootOptions>("dirslash", requiresRoot: true, bind: static (c, o) => c.Bind(o));
        services.AddZoneHandler<IndexFileHandler, IndexFileOptions>("indexfile", requiresRoot: true, bind: IndexFileOptions.Bind);
        services.AddZoneHandler<ContentTypeHandler, ContentTypeOptions>("contenttype", bind: static (c, o) => c.Bind(o));
        services.AddZoneHandler<StaticFileHandler, StaticFileOptions>("staticfile", requiresRoot: true, bind: static (c, o) => c.Bind(o));
        services.AddZoneHandler<DirListHandler, RootOptions>("dirlist", requiresRoot: true, bind: static (c, o) => c.Bind(o));
        services.AddZoneHandler<TemplateFileHandler, TemplateFileOptions>("templatefile", requiresRoot: true, bind: static (c, o) => c.Bind(o));
        services.AddZonesFeeds();
        services.AddZoneHandler<EventStreamHandler, EventStreamOptions>("eventstream", bind: static (c, o) => c.Bind(o));
        services.AddZoneHandler<LongPollHandler, LongPollOptions>("longpoll", bind: static (c, o) => c.Bind(o));
        services.AddZoneHandler<PublishHandler, PublishOptions>("publish", bind: static (c, o) => c.Bind(o));
        services.AddZoneHandler<WebSocketHandler, WebSocketZoneOptions>("websocket", bind: static (c, o) => c.Bind(o));
        services.AddBuiltInWebSocketEndpoints();
        return services;
    }
}
