using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Zones.Hosting;

/// <summary>
/// Builds a handler with DI, as ActivatorUtilities.CreateInstance would: the public constructor
/// with the most parameters that can all be given, each parameter receiving the zone's options or
/// <see cref="ZoneInfo"/> when its type fits, else a service, else its default value. A
/// constructor marked [ActivatorUtilitiesConstructor] is the only one tried, as there.
/// </summary>
/// <remarks>
/// Not ActivatorUtilities itself: its static constructor asks a delegate for its method, which in
/// a native build makes the runtime sort the binary's whole table of methods, about 5% of the
/// start's CPU before the first zone could be built (perf over native starts).
/// </remarks>
internal static class HandlerActivator
{
    public static T Create<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(IServiceProvider services, params object[] candidates)
        where T : class
    {
        var all = typeof(T).GetConstructors();
        // Asked only when there is a choice: a lone constructor is tried either way, and most handlers have one.
        var marked = all.Length < 2 ? [] : Array.FindAll(all, c => c.IsDefined(typeof(ActivatorUtilitiesConstructorAttribute), inherit: false));
        if (marked.Length > 1)
            throw new InvalidOperationException($"{typeof(T).FullName} marks {marked.Length} constructors with [ActivatorUtilitiesConstructor]; mark one.");
        // The marked one alone, or the longest first; of equal length, the first declared (a stable order).
        IEnumerable<ConstructorInfo> constructors = marked.Length == 1 ? marked : all.OrderByDescending(c => c.GetParameters().Length);
        ParameterInfo? missing = null;
        foreach (var constructor in constructors)
        {
            if (TryArguments(constructor.GetParameters(), services, candidates, out var arguments, out var unmet))
                return (T)constructor.Invoke(BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
            missing ??= unmet;
        }
        throw new InvalidOperationException(missing is null
            ? $"{typeof(T).FullName} has no public constructor."
            : $"Unable to resolve service for type '{missing.ParameterType.FullName}' while attempting to activate '{typeof(T).FullName}' (its constructor's parameter \"{missing.Name}\"); register the service, or give the parameter a default value.");
    }

    private static bool TryArguments(ParameterInfo[] parameters, IServiceProvider services, object[] candidates, out object?[] arguments, out ParameterInfo? unmet)
    {
        arguments = new object?[parameters.Length];
        unmet = null;
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            var candidate = Array.Find(candidates, parameter.ParameterType.IsInstanceOfType);
            arguments[i] = candidate ?? services.GetService(parameter.ParameterType);
            if (arguments[i] is not null) continue;
            if (parameter.HasDefaultValue)
            {
                arguments[i] = parameter.DefaultValue;
                continue;
            }
            unmet = parameter;
            return false;
        }
        return true;
    }
}
