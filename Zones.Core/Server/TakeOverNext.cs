namespace Zones.Server;

/// <summary>
/// A take-over the zones asked for, handed from <c>HttpConnection.ServeAsync</c> to the connection
/// loop, which runs it in its own frame (an idle WebSocket then holds one waiting method of the
/// connection, not three), and what the take-over made while it ran. An object made once a
/// take-over, so a connection that never takes over pays one reference for it.
/// </summary>
internal sealed class TakeOverNext(ZoneState state, Func<TakeOverContext, Task<TakeOverEnd>> run, long? started)
{
    public ZoneState State { get; } = state;

    public Func<TakeOverContext, Task<TakeOverEnd>> Run { get; } = run;

    /// <summary>The request's start, for the access log's duration; null when requests are not logged.</summary>
    public long? Started { get; } = started;

    public TakeOverContext? Context { get; set; }

    public TakeOverStream? Stream { get; set; }

    /// <summary>How the handler ended it; <see cref="TakeOverEnd.Close"/> when it failed.</summary>
    public TakeOverEnd End { get; set; } = TakeOverEnd.Close;
}
