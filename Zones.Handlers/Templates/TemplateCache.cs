using System.Collections.Concurrent;
using Fluid;

namespace Zones.Handlers.Templates;

// Fluid marks its template-cache hook experimental (FLUID001). It is the only way to have included
// templates re-parsed when their file changes; if Fluid changes it, this class is where to adapt.
#pragma warning disable FLUID001

/// <summary>
/// Parsed templates of one root, kept until their file changes: an entry is used only while the
/// file's modification time and length are what they were when it was parsed. Serves both the
/// page templates and what they include (Fluid asks it through <see cref="ITemplateCache"/>).
/// </summary>
internal sealed class TemplateCache(RootedFileProvider files) : ITemplateCache
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset Modified, long Length, IFluidTemplate Template)> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public bool TryGetTemplate(string subpath, DateTimeOffset lastModified, out IFluidTemplate template)
    {
        template = null!;
        if (!_entries.TryGetValue(subpath, out var entry) || entry.Modified != lastModified) return false;
        if (files.Resolve(subpath) is not { } path) return false;
        var file = new FileInfo(path);
        if (!file.Exists || file.Length != entry.Length) return false;
        template = entry.Template;
        return true;
    }

    public void SetTemplate(string subpath, DateTimeOffset lastModified, IFluidTemplate template)
    {
        if (files.Resolve(subpath) is not { } path) return;
        var file = new FileInfo(path);
        if (file.Exists) _entries[subpath] = (lastModified, file.Length, template);
    }
}
