using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;
using Zones.Handlers.Static;

namespace Zones.Handlers.Templates;

/// <summary>
/// The files templates may include: those under one root, nothing else. A path that leaves the
/// root — "../x", an absolute path, a symbolic link pointing outside — is reported as not found.
/// A leading '/' means the root itself ("/_nav.liquid" is "_nav.liquid").
/// </summary>
internal sealed class RootedFileProvider(string root) : IFileProvider
{
    public string Root { get; } = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));

    // The root with its own links resolved: what a resolved path must stay inside.
    private readonly string? _realRoot = RealPath.Of(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)));

    public IFileInfo GetFileInfo(string subpath) =>
        Resolve(subpath) is { } path && File.Exists(path) ? new RootedFileInfo(new FileInfo(path)) : new NotFoundFileInfo(subpath ?? "");

    /// <summary>The full path of <paramref name="subpath"/> when it lies under the root (following symbolic links), else null.</summary>
    public string? Resolve(string? subpath)
    {
        if (string.IsNullOrEmpty(subpath) || subpath.Contains('\0')) return null;
        var relative = subpath.Replace('\\', '/').TrimStart('/');
        if (relative.Length == 0 || Path.IsPathRooted(relative)) return null;
        var full = Path.GetFullPath(Path.Combine(Root, relative));
        if (!RealPath.IsInside(full, Root) || full.Length == Root.Length) return null;
        // A link anywhere along the path (a folder as well as the file) may point elsewhere: the
        // same realpath walk as the static handlers' root guard.
        if (_realRoot is null || RealPath.Resolve(_realRoot, relative) is not { } real
            || !RealPath.IsInside(real, _realRoot) || real.Length == _realRoot.Length) return null;
        return full;
    }

    public IDirectoryContents GetDirectoryContents(string subpath) => NotFoundDirectoryContents.Singleton;

    public IChangeToken Watch(string filter) => NullChangeToken.Singleton;

    private sealed class RootedFileInfo(FileInfo file) : IFileInfo
    {
        public bool Exists => true;
        public long Length => file.Length;
        public string PhysicalPath => file.FullName;
        public string Name => file.Name;
        public DateTimeOffset LastModified => file.LastWriteTimeUtc;
        public bool IsDirectory => false;
        public Stream CreateReadStream() => new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
    }
}
