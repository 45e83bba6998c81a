using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Zones.Hosting;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Guards;

/// <summary>
/// The real program with a zones.json of a test's own (guards bound, validated and built as in
/// production), its log captured, a <c>whoami</c> handler that answers with the state's User
/// (and sets X-Powered-By, for headers to remove), and a <c>www</c> folder beside zones.json
/// holding page.txt, style.css (2 KiB, compressible) and me.html.liquid (prints request.user), for "Root": "www".
/// </summary>
internal sealed class GuardHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _folder;

    private GuardHost(IHost host, string folder, ListLoggerProvider logs)
    {
        _host = host;
        _folder = folder;
        Logs = logs;
        var server = TestHost.ServerOf(host);
        Urls = server.Urls;
        BaseAddress = new Uri(server.Urls[0].TrimEnd('/') + "/");
        Port = server.EndPoints[0].Port;
    }

    public ListLoggerProvider Logs { get; }

    public IReadOnlyList<string> Urls { get; }

    public Uri BaseAddress { get; }

    public int Port { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>Starts the host on <paramref name="urls"/> with these zone entries (JSON objects, comma-separated) and the Feeds section given.</summary>
    public static async Task<GuardHost> StartAsync(string zones, string urls = "http://127.0.0.1:0", string feeds = """{ "Names": [ "news" ] }""")
    {
        var folder = Directory.CreateTempSubdirectory("zones-guards-").FullName;
        var path = WriteZones(folder, zones, feeds);
        Directory.CreateDirectory(Path.Combine(folder, "www"));
        File.WriteAllText(Path.Combine(folder, "www", "page.txt"), "a static page\n");
        File.WriteAllText(Path.Combine(folder, "www", "me.html.liquid"), "user={{ request.user }}");
        File.WriteAllText(Path.Combine(folder, "www", "style.css"), string.Concat(Enumerable.Repeat("body { margin: 0 }\n", 110)));
        var logs = new ListLoggerProvider();
        try
        {
            var host = await TestHost.StartAsync(["--zones", path, "--urls", urls], services =>
            {
                services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
                services.AddZoneHandler("whoami", c => ZoneResult.Respond(ZoneResponse.Text(c.State.User ?? "(nobody)").WithHeader("X-Powered-By", "whoami")));
            });
            return new GuardHost(host, folder, logs);
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>Writes zones.json into <paramref name="folder"/> and returns its path.</summary>
    public static string WriteZones(string folder, string zones, string feeds = """{ "Names": [ "news" ] }""")
    {
        var path = Path.Combine(folder, "zones.json");
        File.WriteAllText(path, $$"""{ "Feeds": {{feeds}}, "Zones": [ {{zones}} ] }""");
        return path;
    }

    public HttpClient Client(Uri? baseAddress = null) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = baseAddress ?? BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>An address of this machine that is not loopback, to reach a 0.0.0.0 listener "from the network"; the test is Missing without one.</summary>
    public static IPAddress NonLoopbackAddress()
    {
        var address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        if (address is null) Requires.Missing("this machine has no non-loopback IPv4 address to reach its own listener through");
        return address;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
