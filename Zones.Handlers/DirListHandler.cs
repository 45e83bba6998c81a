using Zones.Handlers.Static;
using Zones.Handlers.Templates;

namespace Zones.Handlers;

/// <summary>
/// Wibble's dirlist: an HTML listing of the folder at fspath — folders first, then files, each
/// with its size and modification time (UTC). The page is a Liquid template (built in, or the
/// site's own <c>_dirlist.liquid</c> at the root), so every name is HTML-escaped in the text and
/// percent-encoded in the link: a file called <c>&lt;script&gt;…</c> is shown, not run. Dotfiles,
/// hidden names and links leading out of the root are left out, as staticfile would not serve them.
/// </summary>
public sealed class DirListHandler(RootOptions options) : IZoneHandler
{
    private readonly RootGuard _guard = new(options);
    private ListingPage? _page; // for the zone's root, made on the first listing (a racing second one is harmless)

    /// <inheritdoc/>
    public async ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        if (!_guard.TryResolve(context, Directory.Exists, out var path, out var refusal)) return refusal;
        if (!ReadOnlyMethods.Allow(context.Request)) return ReadOnlyMethods.MethodNotAllowed();
        DirectoryListing listing;
        try
        {
            listing = DirectoryListing.Read(path, context, _guard);
        }
        catch (DirectoryNotFoundException)
        {
            return ZoneResult.Pass; // removed since we looked
        }
        catch (UnauthorizedAccessException)
        {
            return ZoneResult.Respond(ZoneResponse.ForStatus(403));
        }
        var page = _page ??= new ListingPage(context.Zone.Root!);
        return ZoneResult.Respond(ZoneResponse.Html(await page.RenderAsync(listing)));
    }
}
