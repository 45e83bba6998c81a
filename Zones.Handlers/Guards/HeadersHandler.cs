using System.Collections.Immutable;

namespace Zones.Handlers.Guards;

/// <summary>
/// Adds and removes response headers for everything in its zone — security headers
/// (Content-Security-Policy, X-Content-Type-Options, Referrer-Policy…) on a whole site — by
/// changing the state's provisional headers, which every response merges: a static file, a
/// template, a 404 or an event-stream head alike. It never answers. Removals come first, so a
/// name in both Remove and Set is replaced.
/// </summary>
public sealed class HeadersHandler : IZoneHandler
{
    private readonly KeyValuePair<string, string>[] _set;
    private readonly string[] _remove;
    // What the zone makes of a state with no provisional headers and no removals yet (a headers
    // zone ahead of the site's, the usual place), built once: such a request costs one copy of
    // its state, not one per name.
    private readonly ImmutableList<KeyValuePair<string, string>> _freshHeaders = [];
    private readonly ImmutableHashSet<string> _freshRemoved;

    /// <summary>The headers handler of one zone; the registry makes it from zones.json.</summary>
    /// <param name="options">The zone's options, validated.</param>
    public HeadersHandler(HeadersOptions options)
    {
        _set = [.. options.Set];
        _remove = [.. options.Remove];
        foreach (var (name, value) in _set)
            _freshHeaders = _freshHeaders.RemoveAll(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Add(new(name, value));
        _freshRemoved = ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase, _remove);
    }

    /// <inheritdoc/>
    public ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        var state = context.State;
        if (state.ResponseHeaders.IsEmpty && state.RemovedResponseHeaders.IsEmpty)
        {
            return ZoneResult.Next(state with
            {
                ResponseHeaders = _freshHeaders,
                RemovedResponseHeaders = _remove.Length == 0 ? state.RemovedResponseHeaders : _freshRemoved,
            });
        }
        foreach (var name in _remove) state = state.WithoutResponseHeader(name);
        foreach (var (name, value) in _set) state = state.WithResponseHeader(name, value);
        return ZoneResult.Next(state);
    }
}
