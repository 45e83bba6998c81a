namespace Zones.Pipeline;

/// <summary>
/// Walks the zone table for one request, Wibble's getresponse: each zone's handler runs, in
/// table order, over every live state whose path lies in the zone. Pass keeps a state, Next
/// replaces it by its alternatives (none drops it), and the first Respond or TakeOver ends the
/// walk. When the walk ends with no answer the result is 501.
/// </summary>
public static class ZonePipeline
{
    /// <summary>Walks <paramref name="table"/> for <paramref name="initial"/>, outside a connection (tests, tools).</summary>
    /// <returns>The answer — a Respond (a 501 when no handler answered) or a TakeOver — and the state it was given for.</returns>
    /// <param name="table">The zones, in order.</param>
    /// <param name="initial">The request's first state.</param>
    /// <param name="services">What handlers find in <see cref="ZoneContext.Services"/>; none when null.</param>
    /// <param name="requestAborted">Becomes each handler's <see cref="ZoneContext.RequestAborted"/>.</param>
    /// <param name="serverStopping">Becomes each handler's <see cref="ZoneContext.ServerStopping"/>.</param>
    // Awaits the pooled method below rather than returning its ValueTask: a caller outside the
    // server gets an ordinary one, which forgives being awaited twice or kept.
    public static async ValueTask<(ZoneResult Result, ZoneState State)> RunAsync(
        ZoneTable table, ZoneState initial, IServiceProvider? services = null, CancellationToken requestAborted = default, CancellationToken serverStopping = default) =>
        await RunAsync(table, initial, services, requestAborted, serverStopping, connection: null);

    // reuse: on a connection, its one context, reset for each handler call instead of a new one per call.
    // Pooled: once a request, and a handler that awaits makes it wait; awaited once by each caller.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    internal static async ValueTask<(ZoneResult Result, ZoneState State)> RunAsync(
        ZoneTable table, ZoneState initial, IServiceProvider? services, CancellationToken requestAborted, CancellationToken serverStopping, IZoneConnection? connection,
        RequestReuse? reuse = null)
    {
        // Most requests never fork, so one state is carried without a list until a handler
        // offers alternatives.
        ZoneState? single = initial;
        List<ZoneState>? many = null;

        for (var z = 0; z < table.Count; z++)
        {
            var zone = table[z];
            if (many is null)
            {
                if (single is null) break;
                if (!zone.Matches(single.Path)) continue;
                var context = reuse?.Context(single, zone) ?? new ZoneContext(single, zone, services, requestAborted, serverStopping, connection);
                var result = await zone.Handler.HandleAsync(context);
                switch (result.Kind)
                {
                    case ZoneResultKind.Pass:
                        break;
                    case ZoneResultKind.Next:
                        var states = result.States;
                        single = states.Count == 1 ? states[0] : null;
                        if (states.Count > 1) many = [.. states];
                        break;
                    default:
                        return (result, single);
                }
            }
            else
            {
                var next = new List<ZoneState>(many.Count);
                foreach (var state in many)
                {
                    if (!zone.Matches(state.Path)) { next.Add(state); continue; }
                    var context = reuse?.Context(state, zone) ?? new ZoneContext(state, zone, services, requestAborted, serverStopping, connection);
                    var result = await zone.Handler.HandleAsync(context);
                    switch (result.Kind)
                    {
                        case ZoneResultKind.Pass: next.Add(state); break;
                        case ZoneResultKind.Next: next.AddRange(result.States); break;
                        default: return (result, state);
                    }
                }
                if (next.Count <= 1) { single = next.Count == 1 ? next[0] : null; many = null; }
                else many = next;
            }
        }

        var notImplemented = ZoneResponse.ForStatus(501, "No zone handler answered this request.");
        return (ZoneResult.Respond(notImplemented), single ?? initial);
    }
}
