using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Zones.Handlers.WebSockets;

namespace Zones.Redis;

/// <summary>
/// The hub's groups across instances, over Redis pub/sub: a channel per group, subscribed while
/// the group has members here. A message carries the sending instance's id (its own messages
/// were delivered locally already), its type and its bytes. Like SignalR's Redis backplane this
/// is live only — rooms have no history — but each instance receives a group's messages in the
/// order they were sent, and hands them to the hub, whose per-connection queues keep a slow
/// client from holding anyone up.
/// </summary>
public sealed partial class RedisBackplane : IWebSocketBackplane, IAsyncDisposable
{
    private const byte Text = (byte)'t';
    private const byte Binary = (byte)'b';
    private static readonly TimeSpan ResyncInterval = TimeSpan.FromSeconds(1);

    private readonly byte[] _instance = Guid.NewGuid().ToByteArray();
    private readonly Lock _lock = new();
    private readonly HashSet<string> _wanted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ChannelMessageQueue> _subscribed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _syncGate = new(1, 1);
    private readonly RedisConnection _connection;
    private readonly RedisFeedKeys _keys;
    private readonly ILogger _logger;
    private readonly PeriodicWork _resync;
    private Action<string, WebSocketMessageType, ReadOnlyMemory<byte>>? _receive;

    /// <summary>A backplane over the shared connection; made by AddZonesRedis.</summary>
    /// <param name="options">Prefix: the channels' names start with it.</param>
    /// <param name="connection">The process's one Redis connection.</param>
    /// <param name="logger">For messages and subscriptions Redis could not take (debug level: the connection reports outages).</param>
    public RedisBackplane(RedisFeedsOptions options, RedisConnection connection, ILogger<RedisBackplane> logger)
    {
        _connection = connection;
        _keys = new RedisFeedKeys(options.Prefix);
        _logger = logger;
        _resync = new PeriodicWork(ResyncInterval, _ => SyncAsync()); // a subscription that failed while Redis was away is made again
    }

    /// <inheritdoc/>
    public void Attach(Action<string, WebSocketMessageType, ReadOnlyMemory<byte>> receive) => _receive = receive;

    /// <inheritdoc/>
    public void Join(string group)
    {
        lock (_lock) _wanted.Add(group);
        _ = SyncAsync();
    }

    /// <inheritdoc/>
    public void Leave(string group)
    {
        lock (_lock) _wanted.Remove(group);
        _ = SyncAsync();
    }

    /// <inheritdoc/>
    public void Publish(string group, WebSocketMessageType type, ReadOnlyMemory<byte> data)
    {
        var payload = new byte[_instance.Length + 1 + data.Length];
        _instance.CopyTo(payload, 0);
        payload[_instance.Length] = type == WebSocketMessageType.Binary ? Binary : Text;
        data.Span.CopyTo(payload.AsSpan(_instance.Length + 1));
        _ = PublishAsync(group, payload);
    }

    private async Task PublishAsync(string group, byte[] payload)
    {
        try
        {
            var subscriber = (await _connection.GetAsync()).GetSubscriber();
            await subscriber.PublishAsync(_keys.GroupChannel(group), payload);
        }
        catch (Exception e) when (RedisFailures.IsUnavailable(e))
        {
            LogPublishFailed(_logger, group, e.Message); // live only: the other instances miss this one
        }
    }

    /// <summary>Makes the Redis subscriptions match the groups that have members here.</summary>
    private async Task SyncAsync()
    {
        await _syncGate.WaitAsync();
        try
        {
            List<string> join, leave;
            lock (_lock)
            {
                join = [.. _wanted.Where(g => !_subscribed.ContainsKey(g))];
                leave = [.. _subscribed.Keys.Where(g => !_wanted.Contains(g))];
            }
            if (join.Count == 0 && leave.Count == 0) return;
            var subscriber = (await _connection.GetAsync()).GetSubscriber();
            foreach (var group in leave)
            {
                ChannelMessageQueue queue;
                lock (_lock)
                {
                    queue = _subscribed[group];
                    _subscribed.Remove(group);
                }
                await queue.UnsubscribeAsync();
            }
            foreach (var group in join)
            {
                var queue = await subscriber.SubscribeAsync(_keys.GroupChannel(group));
                queue.OnMessage(message => Receive(group, message));
                lock (_lock) _subscribed[group] = queue;
            }
        }
        catch (Exception e) when (RedisFailures.IsUnavailable(e))
        {
            LogSyncFailed(_logger, e.Message); // the resync loop tries again
        }
        finally
        {
            _syncGate.Release();
        }
    }

    private void Receive(string group, ChannelMessage message)
    {
        var payload = (byte[]?)message.Message;
        if (payload is null || payload.Length <= _instance.Length || payload[_instance.Length] is not (Text or Binary)) return;
        if (payload.AsSpan(0, _instance.Length).SequenceEqual(_instance)) return; // ours: delivered here already
        var type = payload[_instance.Length] == Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
        _receive?.Invoke(group, type, payload.AsMemory(_instance.Length + 1));
    }

    /// <summary>Stops keeping the group subscriptions in step; safe to call twice. The connection is shared and stays open.</summary>
    public ValueTask DisposeAsync() => _resync.DisposeAsync();

    [LoggerMessage(LogLevel.Debug, "Group \"{Group}\": the message could not be sent to the other instances ({Reason})")]
    private static partial void LogPublishFailed(ILogger logger, string group, string reason);

    [LoggerMessage(LogLevel.Debug, "Subscribing to hub groups in Redis failed ({Reason}); trying again")]
    private static partial void LogSyncFailed(ILogger logger, string reason);
}
