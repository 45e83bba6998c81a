using System.Diagnostics.CodeAnalysis;

namespace Zones.Hosting;

/// <summary>
/// Registrations known by name — handlers by zones.json's "Handler", WebSocket endpoints by
/// "Endpoint" (Caddy's module ids). One rule for all of them: names compare ignoring case, and a
/// later registration of a name replaces an earlier one, so an application can replace a
/// built-in by registering its own under the same name.
/// </summary>
public sealed class NamedRegistry<T>(IEnumerable<T> registrations, Func<T, string> nameOf)
{
    private readonly Dictionary<string, T> _byName = registrations
        .GroupBy(nameOf, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(g => g.Key, g => g.Last(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The registered names, one per name however often it was registered.</summary>
    public IReadOnlyCollection<string> Names => _byName.Keys;

    /// <summary>The registration for <paramref name="name"/> (case ignored): the last one registered under it.</summary>
    public bool TryGet(string name, [MaybeNullWhen(false)] out T registration) => _byName.TryGetValue(name, out registration);

    /// <summary>The registered names in order, comma-separated, for a message that says what exists.</summary>
    public string List() => string.Join(", ", _byName.Keys.Order(StringComparer.OrdinalIgnoreCase));
}
