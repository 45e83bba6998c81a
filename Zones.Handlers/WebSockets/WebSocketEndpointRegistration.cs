
namespace Zones.Handlers.WebSockets;

/// <summary>An endpoint known by name, as zones.json's "Endpoint" names it.</summary>
public sealed class WebSocketEndpointRegistration(string name, Type type, Func<IServiceProvider, WebSocketEndpoint> create)
{
    public string Name { get; } = name;

    public Type Type { get; } = type;

    public WebSocketEndpoint Create(IServiceProvider services) => create(services);
}
