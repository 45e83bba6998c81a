using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Zones.Pipeline;
using Zones.Server;

namespace Zones.Tests.Infrastructure;

/// <summary>A real <see cref="ZoneServer"/> on 127.0.0.1 with a free port, for one test.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(ZoneServer server, ListLoggerProvider logs)
    {
        Server = server;
        Logs = logs;
        Port = server.EndPoints[0].Port;
        BaseAddress = new Uri(server.Urls[0] + "/");
    }

    public ZoneServer Server { get; }

    public ListLoggerProvider Logs { get; }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public static Task<TestServer> StartAsync(params Zone[] zones) => StartAsync(zones, null);

    public static async Task<TestServer> StartAsync(IEnumerable<Zone> zones, Action<ServerOptions>? configure, IServiceProvider? services = null)
    {
        var options = new ServerOptions { Urls = ["http://127.0.0.1:0"] };
        configure?.Invoke(options);
        var logs = new ListLoggerProvider();
        var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var server = new ZoneServer(options, new ZoneTable(zones.ToList()), factory, services);
        await server.StartAsync();
        return new TestServer(server, logs);
    }

    /// <summary>A zone from a lambda, for tests that need a one-off handler.</summary>
    public static Zone Zone(string prefix, Func<ZoneContext, ValueTask<ZoneResult>> handle, string? root = null) =>
        new(prefix, new ZoneHandlerFunc(handle), root);

    public static Zone Zone(string prefix, Func<ZoneContext, ZoneResult> handle, string? root = null) =>
        new(prefix, new ZoneHandlerFunc(handle), root);

    public HttpClient CreateClient(HttpMessageHandler? handler = null) =>
        new(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    public async Task<RawConnection> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, Port);
        return new RawConnection(socket);
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await Server.StopAsync(cts.Token);
        await Server.DisposeAsync();
    }
}
