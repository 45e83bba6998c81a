using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Zones.Hosting;

namespace Zones.Tests.Infrastructure;

/// <summary>The real program (zones.json, --urls, built-in handlers) started in-process.</summary>
public static class TestHost
{
    /// <summary>Builds and starts the host with these command-line arguments; <paramref name="services"/> adds what Program.cs would.</summary>
    public static async Task<IHost> StartAsync(string[] args, Action<IServiceCollection>? services = null)
    {
        var builder = Zones.Host.ZonesHost.CreateBuilder(args);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return host;
    }

    public static ZoneServer ServerOf(IHost host) => host.Services.GetRequiredService<ZoneServerHostedService>().Server;
}
