using System.Globalization;
using Fluid;
using Zones.Handlers.Static;

namespace Zones.Handlers.Templates;

/// <summary>
/// The HTML of a folder listing, from a Liquid template: the built-in dirlist.liquid, or
/// <see cref="OverrideName"/> at the zone's root when the site brings its own (Caddy's browse
/// template). The template sees <c>title</c>, <c>path</c>, <c>parent</c> (false at the zone's top)
/// and <c>entries</c>, each with <c>name</c> (a folder's ends in '/'), <c>href</c>, <c>folder</c>,
/// <c>length</c> (bytes), <c>length_text</c> ("2.0 KiB", empty for a folder) and <c>modified</c> (UTC);
/// output is HTML-encoded as in every template. (Not "size": in Liquid that is a map's number of keys.)
/// </summary>
internal sealed class ListingPage(string root)
{
    public const string OverrideName = "_dirlist.liquid";

    private static readonly Lazy<IFluidTemplate> BuiltIn = new(() => TemplateEngine.ParseResource("dirlist.liquid"));

    private readonly TemplateEngine _engine = new(root, maxSteps: 1_000_000);

    public Task<string> RenderAsync(DirectoryListing listing)
    {
        var context = _engine.NewContext();
        context.SetValue("title", "Index of " + listing.Path);
        context.SetValue("path", listing.Path);
        context.SetValue("parent", !listing.AtZoneTop);
        context.SetValue("entries", listing.Entries.Select(e => new Dictionary<string, object?>
        {
            ["name"] = e.Size is null ? e.Name + "/" : e.Name,
            ["href"] = e.Href,
            ["folder"] = e.Size is null,
            ["length"] = e.Size ?? 0,
            ["length_text"] = e.Size is { } bytes ? Size(bytes) : "",
            ["modified"] = e.Modified.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        }).ToList());
        return _engine.Files.GetFileInfo(OverrideName).Exists
            ? _engine.RenderAsync(OverrideName, context)
            : TemplateEngine.RenderAsync(BuiltIn.Value, OverrideName, context);
    }

    private static string Size(long bytes)
    {
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1) { value /= 1024; unit++; }
        return unit == 0 ? $"{bytes} bytes" : value.ToString(value < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
