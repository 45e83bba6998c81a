using System.Diagnostics.CodeAnalysis;

namespace Zones.Hosting;

/// <summary>
/// A handler known by name (Caddy's module id): zones.json says <c>"Handler": "staticfile"</c>
/// and the registration builds one instance per zone, from that zone's options.
/// </summary>
public sealed class ZoneHandlerRegistration(
    string name,
    [DynamicallyAccessedMembers(ZoneHandlerRegistration.OptionsMembers)] Type? optionsType,
    bool requiresRoot,
    Func<IServiceProvider, ZoneInfo, object?, IZoneHandler> create,
    Action<Microsoft.Extensions.Configuration.IConfiguration, object>? bind = null)
{
    /// <summary>
    /// What binding needs of an options class, kept by the trimmer (a native AOT build): its
    /// public properties and a parameterless constructor.
    /// </summary>
    public const DynamicallyAccessedMemberTypes OptionsMembers =
        DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor;

    /// <summary>The name zones.json's "Handler" refers to; compared ignoring case, and a later registration of a name wins.</summary>
    public string Name { get; } = name;

    /// <summary>The class the zone's other keys bind to, or null when the handler takes no options.</summary>
    [DynamicallyAccessedMembers(OptionsMembers)]
    public Type? OptionsType { get; } = optionsType;

    /// <summary>The handler maps paths to files and needs the zone's Root.</summary>
    public bool RequiresRoot { get; } = requiresRoot;

    /// <summary>
    /// Binds the zone's keys onto a new options object; null means the reflection binder. The
    /// built-in handlers pass one the configuration binding generator writes, which also works
    /// in a native AOT build.
    /// </summary>
    public Action<Microsoft.Extensions.Configuration.IConfiguration, object>? Bind { get; } = bind;

    /// <summary>Makes the handler of one zone; called once per zone each time the table is built (at start and on every reload).</summary>
    /// <param name="services">The application's services, for the handler's constructor.</param>
    /// <param name="zone">Where the zone sits in zones.json.</param>
    /// <param name="options">The zone's options, bound and validated; null when <see cref="OptionsType"/> is null.</param>
    public IZoneHandler Create(IServiceProvider services, ZoneInfo zone, object? options) => create(services, zone, options);
}
