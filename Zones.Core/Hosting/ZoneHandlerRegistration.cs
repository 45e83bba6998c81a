namespace Zones.Hosting;

/// <summary>
/// A handler known by name (Caddy's module id): zones.json says <c>"Handler": "staticfile"</c>
/// and the registration builds one instance per zone, from that zone's options.
/// </summary>
public sealed class ZoneHandlerRegistration(
    string name, Type? optionsType, bool requiresRoot, Func<IServiceProvider, ZoneInfo, object?, IZoneHandler> create)
{
    public string Name { get; } = name;

    /// <summary>The class the zone's other keys bind to, or null when the handler takes no options.</summary>
    public Type? OptionsType { get; } = optionsType;

    /// <summary>The handler maps paths to files and needs the zone's Root.</summary>
    public bool RequiresRoot { get; } = requiresRoot;

    public IZoneHandler Create(IServiceProvider services, ZoneInfo zone, object? options) => create(services, zone, options);
}
