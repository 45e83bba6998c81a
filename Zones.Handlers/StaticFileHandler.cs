using Zones.Handlers.Static;
using Zones.Http;

namespace Zones.Handlers;

/// <summary>
/// Wibble's staticfile, with what clients expect today: the file at the zone's fspath with a
/// strong ETag and Last-Modified, 304 and 412 for the conditional headers, byte ranges (206,
/// multipart/byteranges, 416), a precompressed sibling or on-the-fly compression chosen by
/// Accept-Encoding, and HEAD answered like GET without the body. Anything that is not a file
/// under the root (a folder, a missing or hidden file) is passed on, so dirlist and notfound can
/// answer. Only GET and HEAD are served; other methods on a file get 405. Small files come from
/// the zone's <see cref="FileCache"/>.
/// </summary>
public sealed class StaticFileHandler(StaticFileOptions options) : IZoneHandler
{
    private readonly RootGuard _guard = new(options);
    private readonly FileCache _cache = new(options);

    /// <inheritdoc/>
    public ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        if (!_guard.TryMap(context, out var path, out var refusal)) return refusal;
        if (path.EndsWith(Path.DirectorySeparatorChar)) return ZoneResult.Pass; // "/file.txt/" names a folder
        try
        {
            var now = new FileInfo(path); // the one stat a cached file costs; false for folders too
            if (!now.Exists)
            {
                _cache.Forget(path);
                return ZoneResult.Pass;
            }
            var entry = _cache.Find(path, now);
            if (entry is null)
            {
                if (!_guard.LinksStayInside(context, path)) return ZoneResult.Pass;
                entry = _cache.Store(path, now,
                    options.Precompressed ? Representation.Sibling(context, now, ContentCoding.Brotli, _guard) : null,
                    options.Precompressed ? Representation.Sibling(context, now, ContentCoding.Gzip, _guard) : null);
            }
            if (!ReadOnlyMethods.Allow(context.Request)) return ReadOnlyMethods.MethodNotAllowed();

            var contentType = context.State.ResponseHeader(HeaderNames.ContentType) ?? MediaTypes.For(path);
            var choice = Representation.Choose(context, entry.File, entry.Brotli, entry.Gzip, contentType, options);
            // Ranges and on-the-fly compression read from a handle; everything else can come from memory.
            var bytes = choice.OnTheFly || context.Request.Headers.Contains(HeaderNames.Range) ? null : entry.BytesOf(choice.File);
            using var file = bytes is not null
                ? OpenedFile.InMemory(bytes, choice.File.LastWriteTimeUtc, entry.ValidatorsOf(choice.File))
                : OpenedFile.Open(choice.File);
            return ZoneResult.Respond(FileResponse.For(context.Request, file, choice, contentType, options));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            _cache.Forget(path);
            return ZoneResult.Pass; // removed since we looked
        }
        catch (UnauthorizedAccessException)
        {
            _cache.Forget(path);
            return ZoneResult.Respond(ZoneResponse.ForStatus(403)); // as nginx: the file is there but not readable
        }
    }
}
