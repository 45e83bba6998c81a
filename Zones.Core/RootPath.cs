namespace Zones;

/// <summary>
/// The one rule for "does this path stay under that root", lexically (dot segments resolved, no
/// file-system access). <see cref="ZoneContext.FsPath"/> applies it to every request path; the
/// static handlers' root guard adds the symbolic-link walk on top of it.
/// </summary>
public static class RootPath
{
    /// <summary>
    /// The full path of <paramref name="relative"/> (segments separated by '/') below
    /// <paramref name="root"/> (a full path without a trailing separator), or null when it would
    /// leave the root. "" and "/" give the root itself.
    /// </summary>
    public static string? Combine(string root, string relative)
    {
        if (relative.Length == 0 || relative == "/") return root;
        if (relative.Contains('\0')) return null;
        var full = Path.GetFullPath(Path.Join(root, relative));
        return IsInside(full, root) ? full : null;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or lies below it (both full paths).</summary>
    public static bool IsInside(string path, string root) =>
        path.StartsWith(root, StringComparison.Ordinal)
        && (path.Length == root.Length || path[root.Length] == Path.DirectorySeparatorChar || root.EndsWith(Path.DirectorySeparatorChar));
}
