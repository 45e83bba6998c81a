
namespace Zones.Handlers.WebSockets;

/// <summary>An endpoint known by name, as zones.json's "Endpoint" names it.</summary>
public sealed class WebSocketEndpointRegistration(string name, Type type, Func<IServiceProvider, WebSocketEndpoint> create)
{
    /// <summary>The name zones.json's "Endpoint" refers to; compared ignoring case, and a later registration of a name wins.</summary>
    public string Name { get; } = name;

    /// <summary>The endpoint's class.</summary>
    public Type Type { get; } = type;

    /// <summary>A new endpoint instance, with its constructor's services from <paramref name="services"/>.</summary>
    public WebSocketEndpoint Create(IServiceProvider services) => create(services);
}
