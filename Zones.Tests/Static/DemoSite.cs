using Microsoft.Extensions.Hosting;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Static;

/// <summary>The program as `dotnet run --project Zones.Host` starts it: the repository's zones.json and www/, on a free port.</summary>
public sealed class DemoSite : IAsyncDisposable
{
    private readonly IHost _host;

    private DemoSite(IHost host, Uri baseAddress)
    {
        _host = host;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<DemoSite> StartAsync()
    {
        var host = await TestHost.StartAsync(["--zones", TestHost.RepositoryFile("zones.json"), "--urls", "http://127.0.0.1:0"],
            services => Zones.Host.DemoHandlers.AddDemoHandlers(services)); // as Program.cs does
        return new DemoSite(host, new Uri(TestHost.ServerOf(host).Urls[0].TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
