using Zones.Http;

namespace Zones.Handlers.Static;

/// <summary>
/// Which bytes answer a request for a file: the file itself, a precompressed sibling
/// ("app.js.br", "app.js.gz"), or the file compressed on the fly — and whether that choice
/// depended on Accept-Encoding (then the response says Vary: Accept-Encoding, whatever was chosen).
/// The siblings are found by <see cref="Sibling"/> beforehand, so the file cache can keep them.
/// </summary>
internal sealed record Representation(FileInfo File, string? Coding, bool OnTheFly, bool Varies)
{
    public static Representation Choose(ZoneContext context, FileInfo file, FileInfo? brotli, FileInfo? gzip, string contentType, StaticFileOptions options)
    {
        // Accept-Encoding is parsed only when there is a choice to make: most files have no
        // compressed sibling and most zones do not compress, and a browser's list costs a parse
        // and its strings on every request.
        var request = context.Request;
        var varies = false;
        if (options.Precompressed && (brotli is not null || gzip is not null))
        {
            varies = true;
            if (ContentCoding.Choose(request.AcceptEncoding, brotli is not null, gzip is not null) is { } coding)
                return new(coding == ContentCoding.Brotli ? brotli! : gzip!, coding, OnTheFly: false, Varies: true);
        }
        if (options.Compress && file.Length > 0 && file.Length >= options.CompressMinSize && MediaTypes.IsCompressible(contentType))
        {
            varies = true;
            // A range request gets the file itself: byte offsets into output that is produced
            // afresh each time would mean nothing.
            if (!request.Headers.Contains(HeaderNames.Range) && ContentCoding.Choose(request.AcceptEncoding, true, true) is { } coding)
                return new(file, coding, OnTheFly: true, Varies: true);
        }
        return new(file, null, OnTheFly: false, varies);
    }

    /// <summary>The sibling when it is a non-empty file under the root and not older than the file (a stale one is ignored).</summary>
    public static FileInfo? Sibling(ZoneContext context, FileInfo file, string coding, RootGuard guard)
    {
        var sibling = new FileInfo(file.FullName + ContentCoding.SiblingSuffix(coding));
        if (!sibling.Exists || sibling.Length == 0 || sibling.LastWriteTimeUtc < file.LastWriteTimeUtc) return null;
        var root = context.Zone.Root!;
        return guard.StaysInside(root, sibling.FullName[root.Length..]) ? sibling : null;
    }
}
