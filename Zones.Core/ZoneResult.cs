namespace Zones;

/// <summary>Which of the four outcomes a <see cref="ZoneResult"/> is.</summary>
public enum ZoneResultKind
{
    /// <summary>Not mine: the state goes on unchanged to the next handler.</summary>
    Pass,
    /// <summary>Replace this state by the given alternatives (none: drop it) and go on.</summary>
    Next,
    /// <summary>Done: send this response.</summary>
    Respond,
    /// <summary>Don't respond, don't close: the handler owns the connection now.</summary>
    TakeOver,
}

/// <summary>What happens after a take-over handler returns.</summary>
public enum TakeOverEnd
{
    /// <summary>Close the connection (the usual end of a WebSocket or event stream).</summary>
    Close,
    /// <summary>Hand the connection back to HTTP: the next request is read from it (Wibble's sendcommand returning 1).</summary>
    ContinueHttp,
}

/// <summary>
/// A handler's answer, Wibble's four outcomes: plain return (<see cref="Pass"/>), nexthandler
/// (<see cref="Next(ZoneState[])"/>), sendresponse (<see cref="Respond"/>) and keeping the socket
/// (<see cref="TakeOver(Func{TakeOverContext, Task{TakeOverEnd}})"/>). A struct, so answering allocates nothing beyond the response itself.
/// </summary>
public readonly struct ZoneResult
{
    private ZoneResult(ZoneResultKind kind, object? payload)
    {
        Kind = kind;
        Payload = payload;
    }

    /// <summary>Which outcome this is; <c>default(ZoneResult)</c> is <see cref="ZoneResultKind.Pass"/>.</summary>
    public ZoneResultKind Kind { get; }

    private object? Payload { get; }

    /// <summary>Not mine: the state goes on, unchanged, to the next handler whose zone holds it.</summary>
    public static ZoneResult Pass => default;

    /// <summary>Replace the current state by these alternatives, tried in order; with none, the state is dropped.</summary>
    public static ZoneResult Next(params ZoneState[] states) => new(ZoneResultKind.Next, states);

    /// <inheritdoc cref="Next(ZoneState[])"/>
    public static ZoneResult Next(IEnumerable<ZoneState> states) => new(ZoneResultKind.Next, states.ToArray());

    /// <summary>Done: the server sends <paramref name="response"/> and the walk over the zone table ends.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is null.</exception>
    public static ZoneResult Respond(ZoneResponse response) =>
        new(ZoneResultKind.Respond, response ?? throw new ArgumentNullException(nameof(response)));

    /// <summary>
    /// Take the connection over. No response is written; <paramref name="run"/> gets the
    /// connection's stream (bytes that arrived after the request head come first) and owns it
    /// until it returns. The server still counts the connection and cancels it on shutdown.
    /// </summary>
    public static ZoneResult TakeOver(Func<TakeOverContext, Task<TakeOverEnd>> run) =>
        new(ZoneResultKind.TakeOver, run ?? throw new ArgumentNullException(nameof(run)));

    /// <summary>A take-over that closes the connection when <paramref name="run"/> returns (a WebSocket, an event stream).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is null.</exception>
    public static ZoneResult TakeOver(Func<TakeOverContext, Task> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return TakeOver(async context => { await run(context); return TakeOverEnd.Close; });
    }

    /// <summary>The alternatives of a <see cref="ZoneResultKind.Next"/> result, in the order they are tried; empty for every other kind.</summary>
    public IReadOnlyList<ZoneState> States => Kind == ZoneResultKind.Next ? (ZoneState[])Payload! : [];

    /// <summary>The response of a <see cref="ZoneResultKind.Respond"/> result; null for every other kind.</summary>
    public ZoneResponse? Response => Payload as ZoneResponse;

    /// <summary>The function that owns the connection in a <see cref="ZoneResultKind.TakeOver"/> result; null for every other kind.</summary>
    public Func<TakeOverContext, Task<TakeOverEnd>>? TakeOverRun => Payload as Func<TakeOverContext, Task<TakeOverEnd>>;

    /// <summary>
    /// Lets a handler that answers at once return its result from <see cref="IZoneHandler.HandleAsync"/>
    /// directly — <c>return ZoneResult.Pass;</c> — as an already completed ValueTask.
    /// </summary>
    public static implicit operator ValueTask<ZoneResult>(ZoneResult result) => new(result);

    /// <summary>The kind's name ("Pass", "Respond"…), for logs and assertion messages.</summary>
    public override string ToString() => Kind.ToString();
}
