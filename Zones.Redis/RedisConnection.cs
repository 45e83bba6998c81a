using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Zones.Redis;

/// <summary>
/// The one Redis connection of the process (StackExchange.Redis multiplexes every command and
/// subscription over it). It is made so that Redis being away never stops Zones: the connection
/// is opened in the background (the server starts without Redis and says so), commands made
/// while it is down fail at once instead of queueing (a publish answers 503, a reader retries),
/// and it reconnects by itself within about two seconds of Redis coming back.
/// </summary>
public sealed partial class RedisConnection : IAsyncDisposable
{
    private readonly Task<ConnectionMultiplexer> _connecting;
    private readonly ILogger _logger;
    private readonly string _endpoints;

    /// <summary>Starts connecting in the background and returns at once.</summary>
    /// <param name="options">Configuration: where Redis is, as a StackExchange.Redis configuration string.</param>
    /// <param name="logger">For Redis going away and coming back (warnings, not errors: the server keeps serving).</param>
    public RedisConnection(RedisFeedsOptions options, ILogger<RedisConnection> logger)
    {
        _logger = logger;
        var configuration = ConfigurationOptions.Parse(options.Configuration);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectRetry = 1; // one attempt at start (bounded by ConnectTimeout); the reconnect loop does the rest
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ReconnectRetryPolicy = new ExponentialRetry(250, 2000);
        configuration.ClientName ??= "zones";
        _endpoints = string.Join(", ", configuration.EndPoints.Select(e => e.ToString()));
        _connecting = ConnectAsync(configuration);
    }

    /// <summary>Raised when a lost connection is back: subscribers then catch up at once instead of at the next position check.</summary>
    public event Action? Restored;

    /// <summary>The Redis endpoints, for messages.</summary>
    public string Endpoints => _endpoints;

    /// <summary>The multiplexer, once the first attempt to connect has ended (connected or not: it goes on trying) — at most ConnectTimeout (5 s) after start.</summary>
    public ValueTask<ConnectionMultiplexer> GetAsync() =>
        _connecting.IsCompletedSuccessfully ? new(_connecting.Result) : new(_connecting);

    private async Task<ConnectionMultiplexer> ConnectAsync(ConfigurationOptions configuration)
    {
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration);
        multiplexer.ConnectionFailed += (_, e) => LogLost(_logger, e.EndPoint?.ToString() ?? _endpoints, e.ConnectionType, e.FailureType, e.Exception?.Message ?? "");
        multiplexer.ConnectionRestored += (_, e) =>
        {
            LogRestored(_logger, e.EndPoint?.ToString() ?? _endpoints, e.ConnectionType);
            Restored?.Invoke();
        };
        if (multiplexer.IsConnected) LogConnected(_logger, _endpoints);
        else LogDownAtStart(_logger, _endpoints);
        return multiplexer;
    }

    /// <summary>Closes the connection to Redis.</summary>
    public async ValueTask DisposeAsync()
    {
        var multiplexer = await _connecting;
        await multiplexer.CloseAsync(allowCommandsToComplete: false);
        await multiplexer.DisposeAsync();
    }

    [LoggerMessage(LogLevel.Information, "Feeds and rooms are shared through Redis at {Endpoints}")]
    private static partial void LogConnected(ILogger logger, string endpoints);

    [LoggerMessage(LogLevel.Warning, "Redis at {Endpoints} cannot be reached: the server runs, publishing answers 503 and subscribers wait until it is back")]
    private static partial void LogDownAtStart(ILogger logger, string endpoints);

    [LoggerMessage(LogLevel.Warning, "Redis connection to {Endpoint} ({Type}) lost: {Failure} {Reason}")]
    private static partial void LogLost(ILogger logger, string endpoint, ConnectionType type, ConnectionFailureType failure, string reason);

    [LoggerMessage(LogLevel.Information, "Redis connection to {Endpoint} ({Type}) is back")]
    private static partial void LogRestored(ILogger logger, string endpoint, ConnectionType type);
}
