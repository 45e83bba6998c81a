using Zones.Handlers.Static;

namespace Zones.Handlers;

/// <summary>The indexfile zone's options (the zone's keys in zones.json beside Prefix, Handler and Root).</summary>
public sealed class IndexFileOptions : RootOptions, IZoneOptionsValidation
{
    /// <summary>The index file name, or several tried in order: "index.html" (default) or ["index.html", "index.htm"].</summary>
    public List<string> IndexFile { get; set; } = [];

    /// <summary>Binds the zone's keys; "IndexFile" may be one string as well as a list.</summary>
    public static void Bind(Microsoft.Extensions.Configuration.IConfiguration zone, IndexFileOptions options)
    {
        Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(zone, options);
        if (zone["IndexFile"] is { Length: > 0 } single) options.IndexFile = [single];
    }

    /// <summary>The names to try; "index.html" when none is configured.</summary>
    internal IReadOnlyList<string> Names => IndexFile.Count > 0 ? IndexFile : ["index.html"];

    /// <inheritdoc/>
    public IEnumerable<string> Validate(ZoneInfo zone)
    {
        foreach (var name in IndexFile)
        {
            if (string.IsNullOrWhiteSpace(name) || name is "." or ".." || name.IndexOfAny(['/', '\\', '\0']) >= 0)
                yield return $"\"IndexFile\" \"{name}\" is not a file name; use a plain name such as \"index.html\"";
        }
    }
}

/// <summary>
/// Wibble's indexfile: for a folder it offers the alternatives "folder/index.html" and the folder
/// itself (<see cref="ZoneResult.Next(ZoneState[])"/>), so staticfile serves the index when there
/// is one and dirlist lists the folder when there is not. With several index names each becomes
/// an alternative, in order.
/// </summary>
public sealed class IndexFileHandler(IndexFileOptions options) : IZoneHandler
{
    private readonly RootGuard _guard = new(options);

    /// <inheritdoc/>
    public ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        if (!_guard.TryResolve(context, Directory.Exists, out _, out var refusal)) return refusal;
        var folder = context.Path.EndsWith('/') ? context.Path : context.Path + "/";
        var names = options.Names;
        var states = new ZoneState[names.Count + 1];
        for (var i = 0; i < names.Count; i++) states[i] = context.State with { Path = folder + names[i] };
        states[^1] = context.State;
        return ZoneResult.Next(states);
    }
}
