using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Zones.Handlers;
using Zones.Hosting;
using Zones.Pipeline;

namespace Zones.Testing;

/// <summary>
/// Where a handler test starts, as Go's httptest: <c>ZoneTest.Request("POST /feeds/news")</c>
/// builds a request, <see cref="ZoneTestRequest.RunAsync(IZoneHandler, string, string?, IServiceProvider?)"/> runs
/// one handler (or a whole <see cref="ZoneTable"/>) in memory — no socket, no port — and the
/// <see cref="ZoneTestResult"/> reads like the response a client would get.
/// </summary>
public static class ZoneTest
{
    /// <summary>
    /// A request from its request line: <c>"GET /path?query"</c> (HTTP/1.1 implied) or
    /// <c>"GET /path HTTP/1.0"</c>. <c>Host: localhost</c> is added unless
    /// <see cref="ZoneTestRequest.WithHeader"/> gives another.
    /// </summary>
    public static ZoneTestRequest Request(string requestLine) => new(requestLine);

    /// <summary>
    /// The zone table a zones.json would give (its "Zones" array) — built by the same code the server uses, with the
    /// built-in handlers and whatever <paramref name="services"/> registers (your own handlers:
    /// <c>s => s.AddZoneHandler&lt;MyHandler&gt;("mine")</c>). Relative roots are taken from
    /// <paramref name="folder"/> (default: the current directory). A bad table throws
    /// <see cref="ZoneConfigurationException"/> with the messages the server would print.
    /// </summary>
    public static ZoneTestTable Table(string zonesJson, Action<IServiceCollection>? services = null, string? folder = null)
    {
        var path = Path.Combine(Path.GetFullPath(folder ?? Directory.GetCurrentDirectory()), "zones.json");
        using var json = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(zonesJson));
        var configuration = new ConfigurationBuilder().AddJsonStream(json).Build();
        var collection = new ServiceCollection();
        collection.AddBuiltInZoneHandlers();
        services?.Invoke(collection);
        var provider = collection.BuildServiceProvider();
        var builder = new ZoneTableBuilder(provider.GetServices<ZoneHandlerRegistration>(), provider);
        return new ZoneTestTable(builder.Build(configuration.GetSection("Zones"), path), provider);
    }
}
