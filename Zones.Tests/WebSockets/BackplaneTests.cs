using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Zones.Handlers.WebSockets;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.WebSockets;

/// <summary>
/// The hub's side of scale-out: with a backplane, a group message reaches the group's members on
/// every hub, a hub receives only the groups it has members in, and joins and leaves reach the
/// backplane. The backplane here is in memory; Zones.Tests.Redis runs the same over Redis.
/// </summary>
public sealed class BackplaneTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_chat_room_spans_two_servers_joined_by_a_backplane()
    {
        var bus = new MemoryBus();
        var one = bus.Member();
        var two = bus.Member();
        await using var a = await WebSocketTestServer.StartAsync(register: s => s.AddSingleton<IWebSocketBackplane>(one), endpoint: "chat", prefix: "/chat");
        await using var b = await WebSocketTestServer.StartAsync(register: s => s.AddSingleton<IWebSocketBackplane>(two), endpoint: "chat", prefix: "/chat");

        using var ann = await ConnectAsync(a, "/chat?room=lobby&name=ann");
        Assert.Equal(("join", "ann"), Kind(await ReceiveAsync(ann)));
        await Wait.UntilAsync(() => one.Joined.Contains("chat/lobby"), "server A's hub to join the room on the backplane");
        using var bob = await ConnectAsync(b, "/chat?room=lobby&name=bob");
        Assert.Equal(("join", "bob"), Kind(await ReceiveAsync(bob)));
        Assert.Equal(("join", "bob"), Kind(await ReceiveAsync(ann))); // bob's arrival, announced on B, reaches A

        await ann.SendAsync(Encoding.UTF8.GetBytes("hello from A"), WebSocketMessageType.Text, true, CancellationToken.None);
        foreach (var client in new[] { ann, bob })
        {
            using var json = await ReceiveAsync(client);
            Assert.Equal(("message", "ann", "hello from A"), (json.RootElement.GetProperty("type").GetString(), json.RootElement.GetProperty("name").GetString(), json.RootElement.GetProperty("text").GetString()));
        }
        await bob.SendAsync(Encoding.UTF8.GetBytes("and from B"), WebSocketMessageType.Text, true, CancellationToken.None);
        using (var json = await ReceiveAsync(ann)) Assert.Equal("and from B", json.RootElement.GetProperty("text").GetString());
        using (var json = await ReceiveAsync(bob)) Assert.Equal("and from B", json.RootElement.GetProperty("text").GetString());

        // Other rooms stay apart, and a hub whose last member of a room left stops receiving it.
        Assert.Equal(0, b.Hub.SendTextToGroup("chat/elsewhere", "nobody hears this"));
        await bob.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        Assert.Equal(("leave", "bob"), Kind(await ReceiveAsync(ann)));
        await Wait.UntilAsync(() => !two.Joined.Contains("chat/lobby"), "server B's hub to leave the room on the backplane");
        Assert.Equal(["chat/lobby"], one.Joined);
    }

    private static async Task<ClientWebSocket> ConnectAsync(WebSocketTestServer server, string path)
    {
        var client = new ClientWebSocket();
        using var cts = new CancellationTokenSource(Timeout);
        await client.ConnectAsync(server.WsUri(path), cts.Token);
        return client;
    }

    private static async Task<JsonDocument> ReceiveAsync(WebSocket client)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var buffer = new byte[8192];
        var result = await client.ReceiveAsync(buffer, cts.Token);
        Assert.True(result.EndOfMessage);
        return JsonDocument.Parse(buffer.AsMemory(0, result.Count));
    }

    private static (string?, string?) Kind(JsonDocument json)
    {
        using (json) return (json.RootElement.GetProperty("type").GetString(), json.RootElement.GetProperty("name").GetString());
    }
}

/// <summary>An in-memory backplane bus: each member hands a group message to every other member that joined the group.</summary>
internal sealed class MemoryBus
{
    private readonly ConcurrentBag<MemoryBackplane> _members = [];

    public MemoryBackplane Member()
    {
        var member = new MemoryBackplane(this);
        _members.Add(member);
        return member;
    }

    public void Send(MemoryBackplane from, string group, WebSocketMessageType type, ReadOnlyMemory<byte> data)
    {
        foreach (var member in _members)
        {
            if (member != from && member.Joined.Contains(group)) member.Deliver(group, type, data);
        }
    }
}

internal sealed class MemoryBackplane(MemoryBus bus) : IWebSocketBackplane
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _joined = [];
    private Action<string, WebSocketMessageType, ReadOnlyMemory<byte>>? _receive;

    public IReadOnlyList<string> Joined { get { lock (_lock) return [.. _joined]; } }

    public void Attach(Action<string, WebSocketMessageType, ReadOnlyMemory<byte>> receive) => _receive = receive;

    public void Join(string group) { lock (_lock) Assert.True(_joined.Add(group), $"joined {group} twice"); }

    public void Leave(string group) { lock (_lock) Assert.True(_joined.Remove(group), $"left {group} without joining"); }

    public void Publish(string group, WebSocketMessageType type, ReadOnlyMemory<byte> data) => bus.Send(this, group, type, data);

    public void Deliver(string group, WebSocketMessageType type, ReadOnlyMemory<byte> data) => _receive!(group, type, data);
}
