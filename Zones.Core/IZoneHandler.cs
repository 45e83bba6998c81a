namespace Zones;

/// <summary>
/// A zone handler: looks at a state and says what to do with it — <see cref="ZoneResult.Pass"/>,
/// <see cref="ZoneResult.Next(ZoneState[])"/>, <see cref="ZoneResult.Respond"/> or
/// <see cref="ZoneResult.TakeOver(Func{TakeOverContext, Task{TakeOverEnd}})"/>. One instance serves one zone (it is built with that zone's
/// options) and is called concurrently by many connections, so it keeps no per-request fields.
/// </summary>
public interface IZoneHandler
{
    /// <summary>Decides what happens to <paramref name="context"/>'s state. An exception becomes a 500 for the client and an error log line; it does not harm other connections.</summary>
    /// <param name="context">The state, seen through this handler's zone; valid only until the returned task completes.</param>
    ValueTask<ZoneResult> HandleAsync(ZoneContext context);
}

/// <summary>Turns a function into a handler, like Go's HandlerFunc.</summary>
public sealed class ZoneHandlerFunc(Func<ZoneContext, ValueTask<ZoneResult>> handle) : IZoneHandler
{
    /// <summary>A handler from a function that answers at once, without awaiting.</summary>
    public ZoneHandlerFunc(Func<ZoneContext, ZoneResult> handle) : this(c => new ValueTask<ZoneResult>(handle(c))) { }

    /// <inheritdoc/>
    public ValueTask<ZoneResult> HandleAsync(ZoneContext context) => handle(context);
}
