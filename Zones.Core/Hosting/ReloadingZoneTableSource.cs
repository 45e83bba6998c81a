using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

using Zones.Pipeline;

namespace Zones.Hosting;

/// <summary>
/// The zone table from zones.json, rebuilt when the file changes. As in Caddy, a new table
/// replaces the old one only once it is built without error; a bad edit is logged and the old
/// table keeps serving. Open connections are untouched: each request reads the current table.
/// </summary>
internal sealed partial class ReloadingZoneTableSource : IZoneTableSource, IDisposable
{
    private readonly ZoneFile _zoneFile;
    private readonly ZoneTableBuilder _builder;
    private readonly ILogger _logger;
    private readonly Lock _watcherLock = new();
    private ZoneFileWatcher? _watcher;
    private bool _disposed;
    private readonly Lock _reloadLock = new();
    private volatile ZoneTable _current;
    private string _lastGoodText;

    public ReloadingZoneTableSource(IConfiguration configuration, ZoneFile zoneFile, ZoneTableBuilder builder, ILogger<ReloadingZoneTableSource> logger)
    {
        _zoneFile = zoneFile;
        _builder = builder;
        _logger = logger;
        if (zoneFile.LoadError is { } error) throw new ZoneConfigurationException(zoneFile.Path, [error]);
        var zones = configuration.GetSection("Zones");
        _current = builder.Build(zones, zoneFile.Path);
        _lastGoodText = Snapshot(zones);
        // Setting up the file watch costs ~10 ms; it is not needed to serve the first request.
        if (zoneFile.Watched) _ = Task.Run(StartWatching);
    }

    public ZoneTable Current => _current;

    /// <summary>Raised after a reload attempt: the new table, or null when the edit was refused.</summary>
    public event Action<ZoneTable?>? Reloaded;

    private void Reload()
    {
        lock (_reloadLock)
        {
            try
            {
                var zones = _zoneFile.Read().GetSection("Zones");
                var text = Snapshot(zones);
                if (text == _lastGoodText) return; // touched, or saved without a change to the zones
                var table = _builder.Build(zones, _zoneFile.Path);
                _current = table;
                _lastGoodText = text;
                LogReloaded(_logger, _zoneFile.Path, table.Zones.Count);
                Reloaded?.Invoke(table);
            }
            catch (Exception e)
            {
                LogReloadRefused(_logger, e.Message);
                Reloaded?.Invoke(null);
            }
        }
    }

    private static string Snapshot(IConfiguration zones) =>
        string.Join('\n', zones.AsEnumerable().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private void StartWatching()
    {
        lock (_watcherLock)
        {
            if (!_disposed) _watcher = new ZoneFileWatcher(_zoneFile.Path, Reload);
        }
    }

    /// <summary>True once edits of the zone file are being watched (a moment after start).</summary>
    public bool Watching
    {
        get { lock (_watcherLock) return _watcher is not null; }
    }

    public void Dispose()
    {
        lock (_watcherLock)
        {
            _disposed = true;
            _watcher?.Dispose();
        }
    }

    [LoggerMessage(20, LogLevel.Information, "Reloaded {File}: {Count} zone(s)")]
    private static partial void LogReloaded(ILogger logger, string file, int count);

    [LoggerMessage(21, LogLevel.Error, "Kept the previous zone table; the edited zone file is refused: {Message}")]
    private static partial void LogReloadRefused(ILogger logger, string message);
}
