
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

    /// <summary>
    /// Files up to this many bytes are held in memory by the zone's file cache (and so are their
    /// precompressed siblings up to that size) and sent with their head in one write; larger
    /// ones are read from disk each time. 256 KiB by default, where file bodies start going out
    /// with sendfile(2): a file is then either in memory or sent by the kernel, and the copy from
    /// disk through pooled buffers (an open, reads on the thread pool, a flush per 64 KiB) serves
    /// only what the cache has no room for. 0 holds no bytes.
    /// </summary>
    public long CacheMaxFileSize { get; set; } = 256 * 1024;

    /// <summary>The most bytes the file cache holds for the zone, all files together; 64 MiB by default.</summary>
    public long CacheMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The most paths the file cache remembers for the zone; 4096 by default; 0 turns the cache off.</summary>
    public int CacheMaxEntries { get; set; } = 4096;

    /// <inheritdoc/>
    public IEnumerable<string> Validate(ZoneInfo zone)
    {
        if (CacheMaxFileSize < 0) yield return $"\"CacheMaxFileSize\" {CacheMaxFileSize} is negative; use a size in bytes such as 262144 (0 holds no file in memory)";
        if (CacheMaxBytes < 0) yield return $"\"CacheMaxBytes\" {CacheMaxBytes} is negative; use a size in bytes such as 67108864";
        if (CacheMaxEntries < 0) yield return $"\"CacheMaxEntries\" {CacheMaxEntries} is negative; use a count such as 4096 (0 turns the file cache off)";
        if (CacheControl is not null && CacheControl.Any(c => (c < 0x20 && c != '\t') || c == 0x7F))
            yield return "\"CacheControl\" holds a control character; write it on one line, e.g. \"public, max-age=3600\"";
        if (CompressMinSize < 0) yield return $"\"CompressMinSize\" {CompressMinSize} is negative; use a size in bytes such as 1024";
    }
}
