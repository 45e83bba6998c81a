using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Zones.Hosting;

namespace Zones.Handlers.WebSockets;

/// <summary>
/// The <c>websocket</c> zone (the Wibble wiki's WebSocket add-on): checks the RFC 6455
/// handshake, answers 101 and takes the socket over, handing its messages to the zone's
/// endpoint. A request that is not an upgrade gets 426 (or passes on, with "NonUpgrade": "Pass").
/// </summary>
public sealed class WebSocketHandler : IZoneHandler
{
    private readonly WebSocketZoneOptions _options;
    private readonly WebSocketEndpoint _endpoint;
    private readonly WebSocketHub _hub;
    private readonly ILogger _logger;

    /// <summary>The websocket handler of one zone; the registry makes it from zones.json.</summary>
    /// <param name="options">The zone's options, validated.</param>
    /// <param name="services">Where the endpoints and the hub come from.</param>
    public WebSocketHandler(WebSocketZoneOptions options, IServiceProvider services)
    {
        _options = options;
        var endpoints = new NamedRegistry<WebSocketEndpointRegistration>(services.GetServices<WebSocketEndpointRegistration>(), r => r.Name);
        if (!endpoints.TryGet(options.Endpoint, out var registration))
        {
            throw new InvalidOperationException(
                $"no WebSocket endpoint is registered as \"{options.Endpoint}\" ({(endpoints.Names.Count == 0 ? "none are registered" : "registered: " + endpoints.List())}); " +
                $"register yours with services.AddWebSocketEndpoint<T>(\"{options.Endpoint}\")");
        }
        _endpoint = registration.Create(services);
        _hub = services.GetService<WebSocketHub>() ?? throw new InvalidOperationException("the WebSocket hub is not registered; call services.AddWebSocketHub()");
        _logger = services.GetService<ILoggerFactory>()?.CreateLogger("Zones.WebSockets") ?? NullLogger.Instance;
    }

    /// <inheritdoc/>
    public ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        var request = context.Request;
        if (!WebSocketHandshake.IsUpgradeRequest(request))
        {
            return _options.PassNonUpgrade
                ? ZoneResult.Pass
                : ZoneResult.Respond(WebSocketHandshake.UpgradeRequired("This address speaks WebSocket: connect with a WebSocket client."));
        }

        var outcome = WebSocketHandshake.Check(request, _options);
        if (outcome.Rejection is { } rejection) return ZoneResult.Respond(rejection);

        var session = new WebSocketSession(_options.Endpoint, _endpoint, _hub, _options, outcome.Accepted!, _logger);
        return ZoneResult.TakeOver((Func<TakeOverContext, Task<TakeOverEnd>>)session.RunAsync);
    }
}
