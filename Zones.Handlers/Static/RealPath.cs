
namespace Zones.Handlers.Static;

/// <summary>
/// The canonical path of a file, every symbolic link along it resolved, like POSIX realpath(3);
/// components that do not exist are kept as written. Used to tell whether a path under the root
/// really stays under it once the links are followed.
/// </summary>
internal static class RealPath
{
    private const int MaxLinks = 40; // Linux's own limit (ELOOP)

    /// <summary>The resolved form of <paramref name="path"/> (a full path), or null when the links loop.</summary>
    public static string? Of(string path)
    {
        var root = Path.GetPathRoot(path) ?? "/";
        return Resolve(root, path[root.Length..]);
    }

    /// <summary>Resolves <paramref name="relative"/> (segments separated by '/' or the platform separator) below <paramref name="realStart"/>, a path already free of links.</summary>
    public static string? Resolve(string realStart, string relative)
    {
        // Segments still to walk, the next one on top: a link's target is pushed in front of what remains.
        var pending = new Stack<string>();
        PushSegments(pending, relative);
        var current = realStart;
        var links = 0;
        while (pending.TryPop(out var segment))
        {
            if (segment.Length == 0 || segment == ".") continue;
            if (segment == "..")
            {
                current = Path.GetDirectoryName(current) ?? current; // the root's parent is the root
                continue;
            }
            var candidate = Path.Join(current, segment);
            var target = new FileInfo(candidate).LinkTarget;
            if (target is null)
            {
                current = candidate;
                continue;
            }
            if (++links > MaxLinks) return null;
            if (Path.IsPathRooted(target))
            {
                var targetRoot = Path.GetPathRoot(target)!;
                current = targetRoot;
                target = target[targetRoot.Length..];
            }
            PushSegments(pending, target);
        }
        return current;
    }

    private static void PushSegments(Stack<string> pending, string path)
    {
        var segments = path.Split(['/', Path.DirectorySeparatorChar]);
        for (var i = segments.Length - 1; i >= 0; i--) pending.Push(segments[i]);
    }
}
