using Zones.Handlers.Static;
using Zones.Http;

namespace Zones.Handlers;

/// <summary>
/// Wibble's staticfile, with what clients expect today: the file at the zone's fspath with a
/// strong ETag and Last-Modified, 304 and 412 for the conditional headers, byte ranges (206,
/// multipart/byteranges, 416), a precompressed sibling or on-the-fly compression chosen by
/// Accept-Encoding, and HEAD answered like GET without the body. Anything that is not a file
/// under the root (a folder, a missing or hidden file) is passed on, so dirlist and notfound can
/// answer. Only GET and HEAD are served; other methods on a file get 405.
/// </summary>
public sealed class StaticFileHandler(StaticFileOptions options) : IZoneHandler
{
    private readonly RootGuard _guard = new(options);

    /// <inheritdoc/>
    public ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        // "/file.txt/" names a folder; File.Exists is false for folders too.
        if (!_guard.TryResolve(context, static p => !p.EndsWith(Path.DirectorySeparatorChar) && File.Exists(p), out var path, out var refusal)) return refusal;
        if (!ReadOnlyMethods.Allow(context.Request)) return ReadOnlyMethods.MethodNotAllowed();

        var contentType = context.State.ResponseHeader(HeaderNames.ContentType) ?? MediaTypes.For(path);
        try
        {
            var choice = Representation.Choose(context, new FileInfo(path), contentType, options, _guard);
            using var file = OpenedFile.Open(choice.File);
            return ZoneResult.Respond(FileResponse.For(context.Request, file, choice, contentType, options));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return ZoneResult.Pass; // removed since we looked
        }
        catch (UnauthorizedAccessException)
        {
            return ZoneResult.Respond(ZoneResponse.ForStatus(403)); // as nginx: the file is there but not readable
        }
    }
}
