namespace Zones.Handlers.Static;

/// <summary>
/// What a folder listing shows: the folder's visible entries — folders first, then files, by
/// name — leaving out what the root guard hides (dotfiles, Hide patterns, links leading out of
/// the root), each with the link that fetches it.
/// </summary>
internal sealed record DirectoryListing(string Path, bool AtZoneTop, IReadOnlyList<ListingEntry> Entries)
{
    /// <summary>Reads the folder at <paramref name="folderPath"/> (the context's fspath); throws when it is gone or unreadable.</summary>
    public static DirectoryListing Read(string folderPath, ZoneContext context, RootGuard guard)
    {
        var root = context.Zone.Root!;
        var relative = folderPath[root.Length..].TrimEnd(System.IO.Path.DirectorySeparatorChar);
        var path = context.Path.EndsWith('/') ? context.Path : context.Path + "/";
        var urlPath = UrlPath.Encode(path);
        var entries = new DirectoryInfo(folderPath).EnumerateFileSystemInfos()
            .Where(e => !guard.IsHiddenName(e.Name))
            .Where(e => e.LinkTarget is null || guard.StaysInside(root, relative + "/" + e.Name))
            .OrderBy(e => e is DirectoryInfo ? 0 : 1)
            .ThenBy(e => e.Name, StringComparer.Ordinal)
            .Select(e => new ListingEntry(
                e.Name,
                urlPath + Uri.EscapeDataString(e.Name) + (e is DirectoryInfo ? "/" : ""),
                e is FileInfo file ? file.Length : null,
                e.LastWriteTimeUtc))
            .ToList();
        return new DirectoryListing(path, context.Suffix.Trim('/').Length == 0, entries);
    }
}

/// <summary>One line of a listing; <see cref="Size"/> is null for a folder.</summary>
internal sealed record ListingEntry(string Name, string Href, long? Size, DateTime Modified);
