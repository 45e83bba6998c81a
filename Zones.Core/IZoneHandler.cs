namespace Zones;

/// <summary>
/// A zone handler: looks at a state and says what to do with it — <see cref="ZoneResult.Pass"/>,
/// <see cref="ZoneResult.Next(ZoneState[])"/>, <see cref="ZoneResult.Respond"/> or
/// <see cref="ZoneResult.TakeOver(Func{TakeOverContext, Task{TakeOverEnd}})"/>. One instance serves one zone (it is built with that zone's
/// options) and is called concurrently by many connections, so it keeps no per-request fields.
/// </summary>
public interface IZoneHandler
{
    ValueTask<ZoneResult> HandleAsync(ZoneContext context);
}

/// <summary>Turns a function into a handler, like Go's HandlerFunc.</summary>
public sealed class ZoneHandlerFunc(Func<ZoneContext, ValueTask<ZoneResult>> handle) : IZoneHandler
{
    public ZoneHandlerFunc(Func<ZoneContext, ZoneResult> handle) : this(c => new ValueTask<ZoneResult>(handle(c))) { }

    public ValueTask<ZoneResult> HandleAsync(ZoneContext context) => handle(context);
}
