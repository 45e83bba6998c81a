using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using Zones.Pipeline;
using Zones.Server;

namespace Zones.Hosting;

/// <summary>Runs the <see cref="ZoneServer"/> inside the generic host: started with it, stopped gracefully by Ctrl+C or SIGTERM.</summary>
public sealed class ZoneServerHostedService(
    IOptions<ServerOptions> options, IZoneTableSource tables, ILoggerFactory loggerFactory, IServiceProvider services) : IHostedService, IAsyncDisposable
{
    /// <summary>The server it runs: after start, <see cref="ZoneServer.EndPoints"/> has the bound ports (the real one where 0 was asked for).</summary>
    public ZoneServer Server { get; } = new(options.Value, tables, loggerFactory, services);

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken) => Server.StartAsync(cancellationToken);

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Server.StopAsync(cancellationToken);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
