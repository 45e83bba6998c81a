using System.Collections.Concurrent;
using System.Net.WebSockets;
using Zones.Handlers.WebSockets;

namespace Zones.Tests.WebSockets;

/// <summary>
/// An endpoint that echoes like "echo" and records what happened, for tests to wait on: who
/// connected, each message, and how each connection ended. The text "close:CODE:REASON" makes
/// the server close with that code; "throw" makes the endpoint fail.
/// </summary>
public sealed class RecordingEndpoint : WebSocketEndpoint
{
    public ConcurrentQueue<WebSocketConnection> Connected { get; } = new();

    public ConcurrentQueue<(long Id, WebSocketMessageType Type, int Length)> Messages { get; } = new();

    public ConcurrentDictionary<long, TaskCompletionSource<(WebSocketCloseStatus Status, string? Description)>> Closed { get; } = new();

    private readonly TaskCompletionSource<WebSocketConnection> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<WebSocketConnection> FirstConnection => _first.Task;

    public override ValueTask OnConnectedAsync(WebSocketConnection connection)
    {
        Connected.Enqueue(connection);
        ClosedFor(connection.Id);
        _first.TrySetResult(connection);
        return default;
    }

    public override async ValueTask OnMessageAsync(WebSocketConnection connection, WebSocketMessage message)
    {
        Messages.Enqueue((connection.Id, message.Type, message.Data.Length));
        if (message.IsText && message.Text.StartsWith("close:", StringComparison.Ordinal))
        {
            var parts = message.Text.Split(':', 3);
            await connection.CloseAsync(int.Parse(parts[1]), parts[2]);
            return;
        }
        if (message.IsText && message.Text == "throw") throw new InvalidOperationException("the endpoint failed on purpose");
        await connection.SendAsync(message);
    }

    public override ValueTask OnClosedAsync(WebSocketConnection connection, WebSocketCloseStatus status, string? description)
    {
        ClosedFor(connection.Id).TrySetResult((status, description));
        return default;
    }

    public TaskCompletionSource<(WebSocketCloseStatus Status, string? Description)> ClosedFor(long id) =>
        Closed.GetOrAdd(id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>How the connection ended, waiting up to <paramref name="seconds"/>.</summary>
    public Task<(WebSocketCloseStatus Status, string? Description)> WaitClosedAsync(long id, int seconds = 20) =>
        ClosedFor(id).Task.WaitAsync(TimeSpan.FromSeconds(seconds));
}
