using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using Zones.Hosting;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.WebSockets;

/// <summary>websocket zones as zones.json declares them, through the real host: the demo's file, and its mistakes.</summary>
public sealed class WebSocketHostTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("zones-ws-host-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Task<IHost> StartAsync(string zonesPath) =>
        TestHost.StartAsync(["--zones", zonesPath, "--urls", "http://127.0.0.1:0"],
            services => Zones.Host.DemoHandlers.AddDemoHandlers(services)); // as Program.cs does

    private string Write(string json)
    {
        var path = Path.Combine(_folder, "zones.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static async Task<string> EchoAsync(Uri uri, string text)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = new ClientWebSocket();
        await client.ConnectAsync(uri, cts.Token);
        await client.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cts.Token);
        var buffer = new byte[4096];
        var result = await client.ReceiveAsync(buffer, cts.Token);
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }

    [Fact]
    public async Task The_demo_zones_json_serves_the_echo_at_ws_and_the_chat_at_chat()
    {
        using var host = await StartAsync(TestHost.RepositoryFile("zones.json"));
        var port = TestHost.ServerOf(host).EndPoints[0].Port;
        Assert.Equal("echo me", await EchoAsync(new Uri($"ws://127.0.0.1:{port}/ws"), "echo me"));
        var chat = await EchoAsync(new Uri($"ws://127.0.0.1:{port}/chat?name=host&room=t"), "hi");
        Assert.Contains("\"type\":\"join\"", chat); // the room greets first
        await host.StopAsync();
    }

    [Fact]
    public async Task An_unknown_endpoint_stops_the_start_naming_the_registered_ones()
    {
        var path = Write("""{ "Zones": [ { "Prefix": "/ws", "Handler": "websocket", "Endpoint": "ehco" } ] }""");
        var e = await Assert.ThrowsAsync<ZoneConfigurationException>(() => StartAsync(path));
        Assert.Contains("Zones[0] (Prefix \"/ws\")", e.Message);
        Assert.Contains("no WebSocket endpoint is registered as \"ehco\"", e.Message);
        Assert.Contains("chat, echo", e.Message);
        Assert.Contains("AddWebSocketEndpoint<T>(\"ehco\")", e.Message);
    }

    [Fact]
    public async Task Bad_websocket_options_are_refused_with_their_fix()
    {
        var path = Write("""
            { "Zones": [
                { "Prefix": "/ws", "Handler": "websocket" },
                { "Prefix": "/w2", "Handler": "websocket", "Endpoint": "echo", "Endpont": "x" },
                { "Prefix": "/w3", "Handler": "websocket", "Endpoint": "echo", "MaxMessageBytes": 0, "NonUpgrade": "404" }
            ] }
            """);
        var e = await Assert.ThrowsAsync<ZoneConfigurationException>(() => StartAsync(path));
        Assert.Contains("websocket needs an \"Endpoint\"", e.Message);
        Assert.Contains("unknown option \"Endpont\"", e.Message);
        Assert.Contains("\"MaxMessageBytes\" 0", e.Message);
        Assert.Contains("\"NonUpgrade\" \"404\"", e.Message);
    }
}
