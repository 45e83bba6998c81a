namespace Zones.Handlers.Guards;

/// <summary>
/// Adds and removes response headers for everything in its zone — security headers
/// (Content-Security-Policy, X-Content-Type-Options, Referrer-Policy…) on a whole site — by
/// changing the state's provisional headers, which every response merges: a static file, a
/// template, a 404 or an event-stream head alike. It never answers. Removals come first, so a
/// name in both Remove and Set is replaced.
/// </summary>
public sealed class HeadersHandler(HeadersOptions options) : IZoneHandler
{
    private readonly KeyValuePair<string, string>[] _set = [.. options.Set];
    private readonly string[] _remove = [.. options.Remove];

    /// <inheritdoc/>
    public ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        var state = context.State;
        foreach (var name in _remove) state = state.WithoutResponseHeader(name);
        foreach (var (name, value) in _set) state = state.WithResponseHeader(name, value);
        return ZoneResult.Next(state);
    }
}
