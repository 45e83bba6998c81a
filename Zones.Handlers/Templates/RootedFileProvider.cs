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

    // The static handlers' root guard, with links never allowed to lead out.
    private readonly RootGuard _guard = new(new RootOptions());

    public IFileInfo GetFileInfo(string subpath) =>
        Resolve(subpath) is { } path && File.Exists(path) ? new RootedFileInfo(new FileInfo(path)) : new NotFoundFileInfo(subpath ?? "");

    /// <summary>The full path of <paramref name="subpath"/> when it lies under the root (following symbolic links), else null.</summary>
    public string? Resolve(string? subpath)
    {
        if (string.IsNullOrEmpty(subpath)) return null;
        var relative = subpath.Replace('\\', '/').TrimStart('/');
        if (relative.Length == 0 || Path.IsPathRooted(relative)) return null;
        if (RootPath.Combine(Root, relative) is not { } full || full.Length == Root.Length) return null;
        // A link anywhere along the path (a folder as well as the file) may point elsewhere.
        return _guard.StaysInside(Root, full[Root.Length..]) ? full : null;
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
