using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Zones.Handlers.WebSockets;
using Zones.Tests.Infrastructure;
using Zones.Server;

namespace Zones.Tests.WebSockets;

/// <summary>
/// A <see cref="TestServer"/> with a <c>websocket</c> zone (at /ws unless told) built the way the host builds
/// it (DI, the built-in endpoints, the hub), plus any endpoints and zones a test adds
/// (<c>moreZones</c> is given the built services, for handlers that need them).
/// </summary>
public sealed class WebSocketTestServer : IAsyncDisposable
{
    private WebSocketTestServer(TestServer server, ServiceProvider services, ListLoggerProvider logs)
    {
        Server = server;
        Services = services;
        Logs = logs;
    }

    public TestServer Server { get; }

    public ServiceProvider Services { get; }

    /// <summary>What the server's code logged, every category from Debug up.</summary>
    public ListLoggerProvider Logs { get; }

    public IWebSocketHub Hub => Services.GetRequiredService<IWebSocketHub>();

    public int Port => Server.Port;

    public Uri WsUri(string path = "/ws") => new($"ws://127.0.0.1:{Server.Port}{path}");

    public static async Task<WebSocketTestServer> StartAsync(
        Action<WebSocketZoneOptions>? configure = null,
        Action<IServiceCollection>? register = null,
        string endpoint = "echo",
        Func<IServiceProvider, IEnumerable<Zone>>? moreZones = null,
        Action<ServerOptions>? server = null,
        string prefix = "/ws")
    {
        var logs = new ListLoggerProvider();
        var collection = new ServiceCollection();
        collection.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        collection.AddBuiltInWebSocketEndpoints();
        register?.Invoke(collection);
        var services = collection.BuildServiceProvider();

        var options = new WebSocketZoneOptions { Endpoint = endpoint };
        configure?.Invoke(options);
        var problems = options.Validate(new ZoneInfo(0, prefix, "websocket", null, "test")).ToList();
        if (problems.Count > 0) throw new InvalidOperationException(string.Join("; ", problems));
        var zones = new List<Zone> { Zone(prefix, options, services) };
        zones.AddRange(moreZones?.Invoke(services) ?? []);
        var testServer = await TestServer.StartAsync(zones, server, services);
        return new WebSocketTestServer(testServer, services, logs);
    }

    /// <summary>A websocket zone for <paramref name="prefix"/>, built with DI like the host does.</summary>
    public static Zone Zone(string prefix, WebSocketZoneOptions options, IServiceProvider services) =>
        new(prefix, ActivatorUtilities.CreateInstance<WebSocketHandler>(services, options), null, "websocket");

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Services.DisposeAsync();
    }
}
