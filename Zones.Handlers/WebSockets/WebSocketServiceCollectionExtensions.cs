using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Zones.Handlers.Feeds;

namespace Zones.Handlers.WebSockets;

/// <summary>Registers WebSocket endpoints by name and the hub they share.</summary>
public static class WebSocketServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TEndpoint"/> under <paramref name="name"/>, for zones with
    /// <c>"Handler": "websocket", "Endpoint": "name"</c>. The endpoint is a singleton built by DI
    /// (its constructor may take <see cref="IWebSocketHub"/> and other services). A later
    /// registration of the same name wins.
    /// </summary>
    public static IServiceCollection AddWebSocketEndpoint<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TEndpoint>(this IServiceCollection services, string name)
        where TEndpoint : WebSocketEndpoint
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        services.AddWebSocketHub();
        services.TryAddSingleton<TEndpoint>();
        services.AddSingleton(new WebSocketEndpointRegistration(name, typeof(TEndpoint), sp => sp.GetRequiredService<TEndpoint>()));
        return services;
    }

    /// <summary>Registers an endpoint built by <paramref name="create"/> (called once) under <paramref name="name"/>.</summary>
    public static IServiceCollection AddWebSocketEndpoint(this IServiceCollection services, string name, Func<IServiceProvider, WebSocketEndpoint> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(create);
        services.AddWebSocketHub();
        WebSocketEndpoint? instance = null;
        var gate = new object();
        services.AddSingleton(new WebSocketEndpointRegistration(name, typeof(WebSocketEndpoint), sp =>
        {
            lock (gate) return instance ??= create(sp);
        }));
        return services;
    }

    /// <summary>
    /// The built-in endpoints: "echo" (sends every message back), "chat" (a room per ?room=,
    /// broadcast to all in it) and "feed" (the events of ?feed=NAME, from the in-process feeds).
    /// </summary>
    public static IServiceCollection AddBuiltInWebSocketEndpoints(this IServiceCollection services)
    {
        services.AddWebSocketEndpoint<EchoEndpoint>("echo");
        services.AddWebSocketEndpoint<ChatEndpoint>("chat");
        services.AddZonesFeeds();
        services.AddWebSocketEndpoint<FeedEndpoint>("feed");
        return services;
    }

    /// <summary>The hub alone, for code that broadcasts without registering an endpoint here.</summary>
    public static IServiceCollection AddWebSocketHub(this IServiceCollection services)
    {
        services.TryAddSingleton<WebSocketHub>();
        services.TryAddSingleton<IWebSocketHub>(sp => sp.GetRequiredService<WebSocketHub>());
        return services;
    }
}
