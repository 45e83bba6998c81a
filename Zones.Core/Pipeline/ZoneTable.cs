namespace Zones.Pipeline;

/// <summary>The ordered zones a request walks through. Immutable: a reload builds a new table and swaps it in whole.</summary>
public sealed class ZoneTable(IReadOnlyList<Zone> zones)
{
    /// <summary>A table without zones: every request is answered 501.</summary>
    public static readonly ZoneTable Empty = new([]);

    private readonly Zone[] _zones = [.. zones];

    /// <summary>The zones in the order requests walk them.</summary>
    public IReadOnlyList<Zone> Zones => _zones;

    /// <summary>By index, so the per-request walk needs no enumerator.</summary>
    internal Zone this[int index] => _zones[index];

    internal int Count => _zones.Length;
}
