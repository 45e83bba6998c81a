using System.Collections.Frozen;
using Zones.Http;
using Zones.Handlers.Static;

namespace Zones.Handlers;

/// <summary>The contenttype zone's options (the zone's keys in zones.json beside Prefix and Handler).</summary>
public sealed class ContentTypeOptions : IZoneOptionsValidation
{
    /// <summary>Extension → media type, merged over the built-in table: { "md": "text/markdown", ".log": "text/plain" }.</summary>
    public Dictionary<string, string> TypeTable { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public IEnumerable<string> Validate(ZoneInfo zone)
    {
        foreach (var (extension, type) in TypeTable)
        {
            if (extension.TrimStart('.').Length == 0 || extension.IndexOfAny(['/', '\\']) >= 0)
                yield return $"\"TypeTable\" key \"{extension}\" is not a file extension; write it like \"md\" or \".md\"";
            if (!MediaTypes.IsValid(type))
                yield return $"\"TypeTable\" \"{extension}\": \"{type}\" is not a media type; write it as type/subtype, e.g. \"text/markdown\"";
        }
    }
}

/// <summary>
/// Wibble's contenttype: sets the provisional Content-Type from the path's extension and goes on
/// (<see cref="ZoneResult.Next(ZoneState[])"/>); staticfile then sends it, and any response that
/// sets its own type overrides it. Text types are labelled UTF-8; unknown extensions get
/// application/octet-stream. A type set earlier in the chain is left alone.
/// </summary>
public sealed class ContentTypeHandler(ContentTypeOptions options) : IZoneHandler
{
    private readonly FrozenDictionary<string, string> _table = Merge(options.TypeTable);

    /// <inheritdoc/>
    public ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        var state = context.State;
        if (context.Path.EndsWith('/') || state.ResponseHeader(HeaderNames.ContentType) is not null)
            return ZoneResult.Pass;
        var type = MediaTypes.For(context.Path, _table);
        return ZoneResult.Next(state.WithResponseHeader(HeaderNames.ContentType, type));
    }

    private static FrozenDictionary<string, string> Merge(Dictionary<string, string> overrides)
    {
        if (overrides.Count == 0) return MediaTypes.BuiltIn;
        var table = new Dictionary<string, string>(MediaTypes.BuiltIn, StringComparer.OrdinalIgnoreCase);
        foreach (var (extension, type) in overrides) table[extension.TrimStart('.')] = TextTypes.WithUtf8Charset(type.Trim());
        return table.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
