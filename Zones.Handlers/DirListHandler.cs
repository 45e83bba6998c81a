using System.Globalization;
using System.Net;
using System.Text;
using Zones.Handlers.Static;

namespace Zones.Handlers;

/// <summary>
/// Wibble's dirlist: an HTML listing of the folder at fspath — folders first, then files, each
/// with its size and modification time (UTC). Every name is HTML-escaped in the text and
/// percent-encoded in the link, so a file called <c>&lt;script&gt;…</c> is shown, not run.
/// Dotfiles and links leading out of the root are left out, as staticfile would not serve them.
/// </summary>
public sealed class DirListHandler(RootOptions options) : IZoneHandler
{
    private readonly RootGuard _guard = new(options);

    public ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        if (!_guard.TryResolve(context, Directory.Exists, out var path, out var refusal)) return ValueTask.FromResult(refusal);
        var folder = new DirectoryInfo(path);
        if (!folder.Exists) return ValueTask.FromResult(ZoneResult.Pass);
        if (!ReadOnlyMethods.Allow(context.Request)) return ValueTask.FromResult(ReadOnlyMethods.MethodNotAllowed());

        List<FileSystemInfo> entries;
        try
        {
            entries = Visible(folder, context.Zone.Root!, path);
        }
        catch (UnauthorizedAccessException)
        {
            return ValueTask.FromResult(ZoneResult.Respond(ZoneResponse.ForStatus(403)));
        }
        var urlPath = UrlPath.Encode(context.Path.EndsWith('/') ? context.Path : context.Path + "/");
        var atZoneTop = context.Suffix.Trim('/').Length == 0;
        return ValueTask.FromResult(ZoneResult.Respond(ZoneResponse.Html(Render(urlPath, context.Path, entries, atZoneTop))));
    }

    private List<FileSystemInfo> Visible(DirectoryInfo folder, string root, string path)
    {
        var relative = path[root.Length..].TrimEnd(Path.DirectorySeparatorChar);
        return folder.EnumerateFileSystemInfos()
            .Where(e => !_guard.IsHiddenName(e.Name))
            .Where(e => e.LinkTarget is null || _guard.StaysInside(root, relative + "/" + e.Name))
            .OrderBy(e => e is DirectoryInfo ? 0 : 1)
            .ThenBy(e => e.Name, StringComparer.Ordinal)
            .ToList();
    }

    private static string Render(string urlPath, string path, List<FileSystemInfo> entries, bool atZoneTop)
    {
        var title = WebUtility.HtmlEncode("Index of " + (path.EndsWith('/') ? path : path + "/"));
        var html = new StringBuilder(512 + entries.Count * 160);
        html.Append("<!doctype html>\n<html lang=\"en\">\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(title).Append("</title>\n")
            .Append("<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}")
            .Append("td,th{padding:.2em 1.5em .2em 0;text-align:left}td.size{text-align:right}</style>\n")
            .Append("<h1>").Append(title).Append("</h1>\n<table>\n<tr><th>Name</th><th>Size</th><th>Modified (UTC)</th></tr>\n");
        if (!atZoneTop) html.Append("<tr><td><a href=\"../\">../</a></td><td></td><td></td></tr>\n");
        foreach (var entry in entries)
        {
            var isFolder = entry is DirectoryInfo;
            var href = urlPath + Uri.EscapeDataString(entry.Name) + (isFolder ? "/" : "");
            html.Append("<tr><td><a href=\"").Append(WebUtility.HtmlEncode(href)).Append("\">")
                .Append(WebUtility.HtmlEncode(entry.Name)).Append(isFolder ? "/" : "").Append("</a></td>")
                .Append("<td class=\"size\">").Append(isFolder ? "" : Size(((FileInfo)entry).Length)).Append("</td>")
                .Append("<td>").Append(entry.LastWriteTimeUtc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append("</td></tr>\n");
        }
        html.Append("</table>\n</html>\n");
        return html.ToString();
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
