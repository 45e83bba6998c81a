using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

using Zones.Pipeline;

namespace Zones.Hosting;

/// <summary>
/// Turns the "Zones" array of zones.json into a <see cref="ZoneTable"/>: checks every entry,
/// resolves roots against the zone file's folder, binds each handler's options and builds the
/// handlers. Every problem found is reported at once, each naming its entry and the fix.
/// </summary>
public sealed class ZoneTableBuilder(IEnumerable<ZoneHandlerRegistration> registrations, IServiceProvider services)
{
    private static readonly HashSet<string> ZoneKeys = new(StringComparer.OrdinalIgnoreCase) { "Prefix", "Handler", "Root" };

    private readonly NamedRegistry<ZoneHandlerRegistration> _handlers = new(registrations, r => r.Name);

    /// <summary>The names zones.json may use as "Handler", built-in and registered alike.</summary>
    public IReadOnlyCollection<string> HandlerNames => _handlers.Names;

    /// <summary>Builds the table or throws <see cref="ZoneConfigurationException"/> listing every problem.</summary>
    public ZoneTable Build(IConfiguration zones, string zoneFile)
    {
        var problems = new List<string>();
        var built = new List<Zone>();
        var folder = Path.GetDirectoryName(Path.GetFullPath(zoneFile)) ?? Directory.GetCurrentDirectory();
        var entries = zones.GetChildren()
            .Select(c => (Section: c, Index: int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1))
            .OrderBy(e => e.Index)
            .ToList();
        if (entries.Any(e => e.Index < 0))
            problems.Add("\"Zones\" must be an array of zone objects: \"Zones\": [ { \"Prefix\": \"/\", \"Handler\": \"notfound\" } ].");

        foreach (var (section, index) in entries.Where(e => e.Index >= 0))
        {
            var zone = BuildZone(section, index, zoneFile, folder, problems);
            if (zone is not null) built.Add(zone);
        }
        if (problems.Count > 0) throw new ZoneConfigurationException(zoneFile, problems);
        return new ZoneTable(built);
    }

    private Zone? BuildZone(IConfigurationSection section, int index, string zoneFile, string folder, List<string> problems)
    {
        var prefix = section["Prefix"];
        var handlerName = section["Handler"];
        var rootSetting = section["Root"];
        var where = $"Zones[{index}]" + (prefix is null ? "" : $" (Prefix \"{prefix}\")");
        var before = problems.Count;

        if (string.IsNullOrWhiteSpace(prefix))
            problems.Add($"{where}: the zone has no \"Prefix\"; add one such as \"Prefix\": \"/\".");
        else if (!prefix.StartsWith('/'))
            problems.Add($"{where}: \"Prefix\" must start with '/'; write \"/{prefix.TrimStart('/')}\".");

        ZoneHandlerRegistration? registration = null;
        if (string.IsNullOrWhiteSpace(handlerName))
            problems.Add($"{where}: the zone has no \"Handler\"; add one of: {_handlers.List()}.");
        else if (!_handlers.TryGet(handlerName, out registration))
            problems.Add($"{where}: unknown handler \"{handlerName}\"; use one of: {_handlers.List()} — or register yours with services.AddZoneHandler<T>(\"{handlerName}\").");

        string? root = null;
        if (!string.IsNullOrWhiteSpace(rootSetting))
        {
            root = Path.GetFullPath(Path.Combine(folder, rootSetting));
            if (!Directory.Exists(root))
                problems.Add($"{where}: \"Root\" \"{rootSetting}\" is not a folder (looked for {root}); create it or fix the path (relative roots start at the zone file's folder).");
        }
        else if (registration is { RequiresRoot: true })
        {
            problems.Add($"{where}: handler \"{handlerName}\" serves files and needs a \"Root\", e.g. \"Root\": \"www\".");
        }

        object? options = null;
        if (registration is not null)
        {
            options = BindOptions(section, registration, where, problems);
            if (options is IZoneOptionsValidation validating && problems.Count == before)
            {
                var info = new ZoneInfo(index, prefix!, registration.Name, root, zoneFile);
                problems.AddRange(validating.Validate(info).Select(p => $"{where}: {p}"));
            }
        }

        if (problems.Count > before) return null;
        var zoneInfo = new ZoneInfo(index, prefix!, registration!.Name, root, zoneFile);
        try
        {
            var handler = registration.Create(services, zoneInfo, options);
            return new Zone(prefix!, handler, root, registration.Name);
        }
        catch (Exception e)
        {
            var reason = e is TargetInvocationException { InnerException: { } inner } ? inner.Message : e.Message;
            problems.Add($"{where}: handler \"{handlerName}\" could not be created: {reason}");
            return null;
        }
    }

    // The options type's public properties are kept for trimming by the annotation on
    // ZoneHandlerRegistration.OptionsType; the binder needs nothing else of it.
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Options types are annotated with ZoneHandlerRegistration.OptionsMembers.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Options are plain classes of strings, numbers, lists and dictionaries, which bind without generating code.")]
    private static object? BindOptions(IConfigurationSection section, ZoneHandlerRegistration registration, string where, List<string> problems)
    {
        var known = registration.OptionsType?
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite || p.PropertyType.IsAssignableTo(typeof(System.Collections.IEnumerable)))
            .Select(p => p.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        foreach (var child in section.GetChildren())
        {
            if (ZoneKeys.Contains(child.Key) || known.Contains(child.Key)) continue;
            var choices = known.Count == 0 ? "it takes no options besides Prefix, Handler and Root" : "known options: " + string.Join(", ", known.Order());
            problems.Add($"{where}: unknown option \"{child.Key}\" for handler \"{registration.Name}\"; {choices}.");
        }
        if (registration.OptionsType is null) return null;

        var options = Activator.CreateInstance(registration.OptionsType)!;
        try
        {
            // The registration's own bind delegate, compiled by the binding generator where the
            // options type was known; otherwise the type is only known here, at run time, so the
            // generator cannot help (SYSLIB1104) and this is the reflection binder, kept working by
            // the annotations on the options type.
            if (registration.Bind is { } bind) bind(section, options);
            else section.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            problems.Add($"{where}: {e.Message}");
        }
        return options;
    }
}
