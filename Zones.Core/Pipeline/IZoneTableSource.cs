namespace Zones.Pipeline;

/// <summary>Where the server gets the current zone table; read once per request, so a reload applies to the next request.</summary>
public interface IZoneTableSource
{
    /// <summary>The table to serve the next request with; cheap and thread-safe to read.</summary>
    ZoneTable Current { get; }
}

/// <summary>A table that never changes.</summary>
internal sealed class FixedZoneTable(ZoneTable table) : IZoneTableSource
{
    public ZoneTable Current { get; } = table;
}
