namespace Zones;

/// <summary>The ordered zones a request walks through. Immutable: a reload builds a new table and swaps it in whole.</summary>
public sealed class ZoneTable(IReadOnlyList<Zone> zones)
{
    public static readonly ZoneTable Empty = new([]);

    public IReadOnlyList<Zone> Zones { get; } = zones;
}
