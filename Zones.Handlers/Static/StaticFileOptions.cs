
namespace Zones.Handlers.Static;

/// <summary>The staticfile zone's options (the zone's keys in zones.json beside Prefix, Handler and Root).</summary>
public sealed class StaticFileOptions : RootOptions, IZoneOptionsValidation
{
    /// <summary>Sent as Cache-Control with every file (e.g. "public, max-age=3600", "no-cache"); none by default.</summary>
    public string? CacheControl { get; set; }

    /// <summary>Serve "name.br" / "name.gz" beside "name" when the client accepts that coding. On by default.</summary>
    public bool Precompressed { get; set; } = true;

    /// <summary>Compress text-like files on the fly (br or gzip) when there is no precompressed sibling. Off by default.</summary>
    public bool Compress { get; set; }

    /// <summary>Files smaller than this many bytes are sent as they are: compressing them saves less than it costs.</summary>
    public long CompressMinSize { get; set; } = 1024;

    /// <inheritdoc/>
    public IEnumerable<string> Validate(ZoneInfo zone)
    {
        if (CacheControl is not null && CacheControl.Any(c => (c < 0x20 && c != '\t') || c == 0x7F))
            yield return "\"CacheControl\" holds a control character; write it on one line, e.g. \"public, max-age=3600\"";
        if (CompressMinSize < 0) yield return $"\"CompressMinSize\" {CompressMinSize} is negative; use a size in bytes such as 1024";
    }
}
