using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;

namespace Zones.Hosting;

/// <summary>Registering zone handlers by name, built-ins and your own alike.</summary>
public static class ZoneHandlerServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="THandler"/> under <paramref name="name"/>. One instance is
    /// built per zone; its constructor may take services and the <see cref="ZoneInfo"/>.
    /// </summary>
    public static IServiceCollection AddZoneHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(this IServiceCollection services, string name, bool requiresRoot = false)
        where THandler : class, IZoneHandler =>
        services.AddSingleton(new ZoneHandlerRegistration(name, null, requiresRoot,
            (sp, zone, _) => HandlerActivator.Create<THandler>(sp, zone)));

    /// <summary>
    /// Registers <typeparamref name="THandler"/> under <paramref name="name"/> with options: the
    /// zone's keys besides Prefix, Handler and Root bind to <typeparamref name="TOptions"/>, which
    /// the handler's constructor receives (unknown keys are refused, naming the known ones).
    /// Pass <paramref name="bind"/> as <c>static (config, options) =&gt; config.Bind(options)</c> in a
    /// project with EnableConfigurationBindingGenerator to bind with generated code (needed for
    /// options holding dictionaries or nested objects in a native AOT build); without it the
    /// reflection binder is used.
    /// </summary>
    public static IServiceCollection AddZoneHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler, [DynamicallyAccessedMembers(ZoneHandlerRegistration.OptionsMembers)] TOptions>(this IServiceCollection services, string name, bool requiresRoot = false, Action<Microsoft.Extensions.Configuration.IConfiguration, TOptions>? bind = null)
        where THandler : class, IZoneHandler
        where TOptions : class, new() =>
        services.AddSingleton(new ZoneHandlerRegistration(name, typeof(TOptions), requiresRoot,
            (sp, zone, options) => HandlerActivator.Create<THandler>(sp, options!, zone),
            bind is null ? null : (config, options) => bind(config, (TOptions)options)));

    /// <summary>Registers a function as a handler, like Go's HandlerFunc.</summary>
    public static IServiceCollection AddZoneHandler(this IServiceCollection services, string name, Func<ZoneContext, ValueTask<ZoneResult>> handle) =>
        services.AddSingleton(new ZoneHandlerRegistration(name, null, false, (_, _, _) => new ZoneHandlerFunc(handle)));

    /// <inheritdoc cref="AddZoneHandler(IServiceCollection, string, Func{ZoneContext, ValueTask{ZoneResult}})"/>
    public static IServiceCollection AddZoneHandler(this IServiceCollection services, string name, Func<ZoneContext, ZoneResult> handle) =>
        services.AddSingleton(new ZoneHandlerRegistration(name, null, false, (_, _, _) => new ZoneHandlerFunc(handle)));
}
