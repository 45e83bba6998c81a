using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Zones.Tests.Infrastructure;

/// <summary>The real program's host (zones.json, --urls, built-in handlers), started for a test.</summary>
public static class TestHost
{
    /// <summary>Builds and starts the host with <paramref name="args"/>; <paramref name="configure"/> adds what Program.cs would.</summary>
    public static async Task<IHost> StartAsync(string[] args, Action<IServiceCollection>? configure = null)
    {
        var builder = Zones.Host.ZonesHost.CreateBuilder(args);
        configure?.Invoke(builder.Services);
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
}
