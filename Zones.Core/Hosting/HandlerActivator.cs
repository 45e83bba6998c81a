using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;

namespace Zones.Hosting;

/// <summary>Builds a handler with DI, passing the zone's options and <see cref="ZoneInfo"/> only to constructors that ask for them.</summary>
internal static class HandlerActivator
{
    public static T Create<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(IServiceProvider services, params object[] candidates)
        where T : class
    {
        var parameters = typeof(T).GetConstructors()
            .SelectMany(c => c.GetParameters())
            .Select(p => p.ParameterType)
            .ToList();
        var wanted = candidates.Where(c => parameters.Any(t => t.IsInstanceOfType(c))).ToArray();
        return ActivatorUtilities.CreateInstance<T>(services, wanted);
    }
}
