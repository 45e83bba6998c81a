using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Zones.Hosting;

/// <summary>
/// The zone table from configuration, rebuilt when zones.json changes. As in Caddy, a new table
/// replaces the old one only once it is built without error; a bad edit is logged and the old
/// table keeps serving. Open connections are untouched: each request reads the current table.
/// </summary>
public sealed partial class ReloadingZoneTableSource : IZoneTableSource, IDisposable
{
    private readonly IConfiguration _configuration;
    private readonly ZoneFile _zoneFile;
    private readonly ZoneTableBuilder _builder;
    private readonly ILogger _logger;
    private readonly IDisposable _subscription;
    private readonly object _reloadLock = new();
    private volatile ZoneTable _current;
    private string _lastGoodText = "";

    public ReloadingZoneTableSource(IConfiguration configuration, ZoneFile zoneFile, ZoneTableBuilder builder, ILogger<ReloadingZoneTableSource> logger)
    {
        _configuration = configuration;
        _zoneFile = zoneFile;
        _builder = builder;
        _logger = logger;
        if (zoneFile.LoadError is { } error) throw new ZoneConfigurationException(zoneFile.Path, [error]);
        _current = builder.Build(configuration.GetSection("Zones"), zoneFile.Path);
        _lastGoodText = Snapshot();
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
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
                if (_zoneFile.LoadError is { } error) throw new ZoneConfigurationException(_zoneFile.Path, [error]);
                var text = Snapshot();
                if (text == _lastGoodText) return; // the provider fires more than once per save
                var table = _builder.Build(_configuration.GetSection("Zones"), _zoneFile.Path);
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

    private string Snapshot() =>
        string.Join('\n', _configuration.GetSection("Zones").AsEnumerable().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    public void Dispose() => _subscription.Dispose();

    [LoggerMessage(20, LogLevel.Information, "Reloaded {File}: {Count} zone(s)")]
    private static partial void LogReloaded(ILogger logger, string file, int count);

    [LoggerMessage(21, LogLevel.Error, "Kept the previous zone table; the edited zone file is refused: {Message}")]
    private static partial void LogReloadRefused(ILogger logger, string message);
}

/// <summary>The zone file in use, and the error of its last load when it could not be read.</summary>
public sealed class ZoneFile(string path)
{
    public string Path { get; } = path;

    /// <summary>Set by the configuration source when the file could not be parsed (invalid JSON), cleared by a good load.</summary>
    public string? LoadError { get; set; }
}
