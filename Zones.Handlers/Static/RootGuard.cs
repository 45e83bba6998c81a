using System.Diagnostics.CodeAnalysis;
using System.IO.Enumeration;

namespace Zones.Handlers.Static;

/// <summary>
/// The one place that decides whether a request path may touch the file system, shared by
/// dirslash, indexfile, staticfile and dirlist so they can never disagree. Core has already
/// decoded the path once and removed dot segments; this adds what a file server needs on top:
/// <list type="bullet">
/// <item>a segment holding "%2F" (an encoded slash, which Core keeps encoded), '\' or NUL is
/// refused with 400: it is either an attack or a name no file here has;</item>
/// <item>dotfiles and dot-folders are hidden, except the /.well-known/ folder (RFC 8615);</item>
/// <item>the full path must stay under the root (<see cref="ZoneContext.FsPath"/>), and, unless
/// the zone allows it, so must the path with every symbolic link resolved.</item>
/// </list>
/// Hidden paths get <see cref="ZoneResult.Pass"/>, exactly like missing ones, so a 404 says
/// nothing about what exists.
/// </summary>
internal sealed class RootGuard(RootOptions options)
{
    private sealed record RealRoot(string Root, string? Real);

    private RealRoot? _realRoot;

    /// <summary>
    /// The full path for the context's suffix when it may be served and <paramref name="exists"/>
    /// says it is there; otherwise false, with <paramref name="refusal"/> set to a 400 answer or
    /// to Pass. Existence is asked before the symbolic-link walk: in a handler chain most paths
    /// are not the kind a handler wants (a file for dirslash, a folder for staticfile), and those
    /// cost one stat instead of a readlink per segment.
    /// </summary>
    public bool TryResolve(ZoneContext context, Func<string, bool> exists, [NotNullWhen(true)] out string? fullPath, out ZoneResult refusal)
    {
        if (!TryMap(context, out fullPath, out refusal)) return false;
        if (exists(fullPath) && LinksStayInside(context, fullPath)) return true;
        fullPath = null;
        return false;
    }

    /// <summary>
    /// The first half of <see cref="TryResolve"/>: the full path for the context's suffix when its
    /// name may be served (no bad or hidden segment, a zone with a root), before anything is asked
    /// of the file system. A caller that asks about existence itself must then call
    /// <see cref="LinksStayInside"/> before serving the path.
    /// </summary>
    public bool TryMap(ZoneContext context, [NotNullWhen(true)] out string? fullPath, out ZoneResult refusal)
    {
        fullPath = null;
        refusal = ZoneResult.Pass;
        var suffix = context.Suffix;
        if (BadSegment(suffix) is { } problem)
        {
            refusal = ZoneResult.Respond(ZoneResponse.ForStatus(400, problem));
            return false;
        }
        if (HasHiddenSegment(suffix) || HasHiddenName(suffix) || context.FsPath is not { } full || context.Zone.Root is null) return false;
        fullPath = full;
        return true;
    }

    /// <summary>True when the mapped <paramref name="fullPath"/>, links resolved, stays under the zone's root (or the zone allows links out).</summary>
    public bool LinksStayInside(ZoneContext context, string fullPath)
    {
        var root = context.Zone.Root!;
        return options.AllowSymlinksOutsideRoot || StaysInside(root, fullPath[root.Length..]);
    }

    /// <summary>True when <paramref name="relative"/> below <paramref name="root"/>, links resolved, stays below the root's real path.</summary>
    public bool StaysInside(string root, string relative)
    {
        if (options.AllowSymlinksOutsideRoot) return true;
        var real = RealRootOf(root);
        return real is not null && RealPath.Resolve(real, relative) is { } resolved && RootPath.IsInside(resolved, real);
    }

    /// <summary>Why the path cannot name a file under a root, or null when it can.</summary>
    internal static string? BadSegment(string path)
    {
        if (path.Contains("%2F", StringComparison.Ordinal)) return "An encoded slash (%2F) cannot be part of a file name.";
        if (path.Contains('\\')) return "A backslash cannot be part of a file name.";
        if (path.Contains('\0')) return "A NUL cannot be part of a file name.";
        return null;
    }

    /// <summary>A segment starting with '.' (".git", ".env", "..."), except a leading ".well-known".</summary>
    internal static bool HasHiddenSegment(string suffix)
    {
        var first = true;
        foreach (var range in suffix.AsSpan().Split('/'))
        {
            var segment = suffix.AsSpan(range);
            if (segment.IsEmpty) continue;
            if (segment[0] == '.' && !(first && segment.SequenceEqual(".well-known"))) return true;
            first = false;
        }
        return false;
    }

    /// <summary>True when a file or folder of this name is hidden: a dotfile, or a name matching the zone's Hide patterns.</summary>
    public bool IsHiddenName(string name) =>
        name.StartsWith('.') || options.Hide.Exists(pattern => FileSystemName.MatchesSimpleExpression(pattern, name, ignoreCase: true));

    private bool HasHiddenName(string suffix)
    {
        foreach (var range in suffix.AsSpan().Split('/'))
        {
            var segment = suffix.AsSpan(range);
            foreach (var pattern in options.Hide)
            {
                if (!segment.IsEmpty && FileSystemName.MatchesSimpleExpression(pattern, segment, ignoreCase: true)) return true;
            }
        }
        return false;
    }

    // The root may itself be a link (/var/www → /srv/site): resolved once, again only if the zone's root changes.
    private string? RealRootOf(string root)
    {
        var cached = Volatile.Read(ref _realRoot);
        if (cached is null || cached.Root != root) Volatile.Write(ref _realRoot, cached = new RealRoot(root, RealPath.Of(root)));
        return cached.Real;
    }
}
