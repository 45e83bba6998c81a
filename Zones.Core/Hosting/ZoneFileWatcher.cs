namespace Zones.Hosting;

/// <summary>
/// Watches one file (zones.json) and calls back, debounced, when it changes. Deliberately not the
/// configuration system's reloadOnChange: that watches the file's whole folder tree, which for a
/// zone file at a project root means every bin/ and obj/ below it — slow to start and noisy.
/// Editors that save by writing a temporary file and renaming it over the original are covered.
/// </summary>
internal sealed class ZoneFileWatcher : IDisposable
{
    // Editors save in bursts (truncate, write, rename): one reload after the burst settles.
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(200);
    private readonly FileSystemWatcher _watcher;
    private readonly Timer _debounce;

    public ZoneFileWatcher(string path, Action changed)
    {
        _debounce = new Timer(_ => changed(), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path))
        {
            IncludeSubdirectories = false,
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        FileSystemEventHandler onChange = (_, _) => _debounce.Change(Delay, Timeout.InfiniteTimeSpan);
        _watcher.Changed += onChange;
        _watcher.Created += onChange;
        _watcher.Renamed += (_, _) => _debounce.Change(Delay, Timeout.InfiniteTimeSpan);
        _watcher.EnableRaisingEvents = true;
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _debounce.Dispose();
    }
}
