using Zones.Handlers.Static;

namespace Zones.Handlers;

/// <summary>
/// Wibble's dirslash: a folder asked for without its trailing slash ("/docs") is redirected, 301,
/// to "/docs/" with the query kept, so the page's relative links resolve inside the folder.
/// Only GET and HEAD are redirected (a 301 would turn a POST into a GET); the rest go on.
/// </summary>
public sealed class DirSlashHandler(RootOptions options) : IZoneHandler
{
    private readonly RootGuard _guard = new(options);

    /// <inheritdoc/>
    public ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        if (context.Path.EndsWith('/') || !ReadOnlyMethods.Allow(context.Request)) return ZoneResult.Pass;
        if (!_guard.TryResolve(context, Directory.Exists, out _, out var refusal)) return refusal;
        var query = context.Request.QueryString;
        var location = UrlPath.Encode(context.Path + "/") + (query.Length > 0 ? "?" + query : "");
        return ZoneResult.Respond(ZoneResponse.Redirect(location, 301));
    }
}
