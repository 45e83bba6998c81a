using System.Collections.Frozen;
using Zones.Http;

namespace Zones.Handlers.Static;

/// <summary>
/// File extension → media type for the common web formats, and the two questions the static
/// handlers ask of a type: is it worth compressing, and is it well-formed. Which types are text is
/// <see cref="TextTypes"/>' rule, shared with ZoneResponse.
/// </summary>
public static class MediaTypes
{
    /// <summary>The type of a file whose extension the table does not know.</summary>
    public const string Default = "application/octet-stream";

    /// <summary>The built-in table, keys without the dot, compared ignoring case. Text types already carry their charset.</summary>
    public static FrozenDictionary<string, string> BuiltIn { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["html"] = "text/html", ["htm"] = "text/html", ["css"] = "text/css", ["txt"] = "text/plain",
        ["md"] = "text/markdown", ["csv"] = "text/csv", ["ics"] = "text/calendar", ["vtt"] = "text/vtt",
        ["js"] = "text/javascript", ["mjs"] = "text/javascript", ["json"] = "application/json", ["map"] = "application/json",
        ["webmanifest"] = "application/manifest+json", ["xml"] = "application/xml", ["rss"] = "application/rss+xml",
        ["atom"] = "application/atom+xml", ["wasm"] = "application/wasm", ["pdf"] = "application/pdf",
        ["zip"] = "application/zip", ["gz"] = "application/gzip", ["br"] = "application/x-brotli", ["tar"] = "application/x-tar",
        ["svg"] = "image/svg+xml", ["png"] = "image/png", ["apng"] = "image/apng", ["jpg"] = "image/jpeg", ["jpeg"] = "image/jpeg",
        ["gif"] = "image/gif", ["webp"] = "image/webp", ["avif"] = "image/avif", ["ico"] = "image/x-icon", ["bmp"] = "image/bmp",
        ["tif"] = "image/tiff", ["tiff"] = "image/tiff",
        ["woff"] = "font/woff", ["woff2"] = "font/woff2", ["ttf"] = "font/ttf", ["otf"] = "font/otf",
        ["mp4"] = "video/mp4", ["webm"] = "video/webm", ["ogv"] = "video/ogg", ["mov"] = "video/quicktime",
        ["mp3"] = "audio/mpeg", ["ogg"] = "audio/ogg", ["oga"] = "audio/ogg", ["wav"] = "audio/wav", ["flac"] = "audio/flac",
        ["m4a"] = "audio/mp4", ["opus"] = "audio/ogg",
    }.ToFrozenDictionary(e => e.Key, e => TextTypes.WithUtf8Charset(e.Value), StringComparer.OrdinalIgnoreCase);

    /// <summary>The extension of the last segment of <paramref name="path"/>, without the dot; "" when there is none.</summary>
    public static string ExtensionOf(string path)
    {
        var name = path.AsSpan(path.LastIndexOf('/') + 1);
        var dot = name.LastIndexOf('.');
        return dot <= 0 ? "" : name[(dot + 1)..].ToString(); // ".profile" is a name, not an extension
    }

    /// <summary>The type for <paramref name="path"/> from <paramref name="table"/> (or the built-in one); unknown → application/octet-stream.</summary>
    public static string For(string path, IReadOnlyDictionary<string, string>? table = null) =>
        (table ?? BuiltIn).TryGetValue(ExtensionOf(path), out var type) ? type : Default;

    /// <summary>Worth compressing on the fly: text formats, SVG, WebAssembly and uncompressed fonts. Images, video and archives already are.</summary>
    public static bool IsCompressible(string mediaType)
    {
        var type = TextTypes.Essence(mediaType);
        return TextTypes.IsText(type)
            || type.Equals("application/wasm", StringComparison.OrdinalIgnoreCase)
            || type.Equals("font/ttf", StringComparison.OrdinalIgnoreCase) || type.Equals("font/otf", StringComparison.OrdinalIgnoreCase)
            || type.Equals("image/x-icon", StringComparison.OrdinalIgnoreCase) || type.Equals("image/bmp", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True for "type/subtype" made of tokens, optionally with parameters: what a TypeTable entry must look like.</summary>
    public static bool IsValid(string mediaType)
    {
        var essence = TextTypes.Essence(mediaType);
        var slash = essence.IndexOf('/');
        return slash > 0 && HttpCharacters.IsToken(essence.AsSpan(0, slash)) && HttpCharacters.IsToken(essence.AsSpan(slash + 1))
            && !mediaType.Any(c => c < 0x20 || c == 0x7F);
    }
}
