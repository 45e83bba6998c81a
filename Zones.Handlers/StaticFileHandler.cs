using Microsoft.Win32.SafeHandles;

namespace Zones.Handlers;

/// <summary>
/// Wibble's staticfile, with what clients expect today: the file at the zone's fspath with a
/// strong ETag and Last-Modified, 304 and 412 for the conditional headers, byte ranges (206,
/// multipart/byteranges, 416), a precompressed sibling or on-the-fly compression chosen by
/// Accept-Encoding, and HEAD answered like GET without the body. Anything that is not a regular
/// file under the root (a folder, a missing or hidden file) is passed on, so dirlist and notfound
/// can answer. Only GET and HEAD are served; other methods on a file get 405.
/// </summary>
public sealed class StaticFileHandler(StaticFileOptions options) : IZoneHandler
{
    private readonly RootGuard _guard = new(options);

    public ValueTask<ZoneResult> HandleAsync(ZoneContext context) => ValueTask.FromResult(Handle(context));

    private ZoneResult Handle(ZoneContext context)
    {
        if (!_guard.TryResolve(context, out var path, out var refusal)) return refusal;
        if (path.EndsWith(Path.DirectorySeparatorChar)) return ZoneResult.Pass; // "/file.txt/" names a folder
        var file = new FileInfo(path);
        if (!file.Exists) return ZoneResult.Pass; // false for folders too
        var request = context.Request;
        if (request.Method is not ("GET" or "HEAD"))
            return ZoneResult.Respond(ZoneResponse.ForStatus(405).WithHeader(HeaderNames.Allow, "GET, HEAD"));

        var contentType = context.State.ResponseHeader(HeaderNames.ContentType) ?? MediaTypes.For(path);
        var choice = Representation.Choose(context, file, contentType, options, _guard);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(choice.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return ZoneResult.Pass; // removed since we looked
        }
        catch (UnauthorizedAccessException)
        {
            return ZoneResult.Respond(ZoneResponse.ForStatus(403)); // as nginx: the file is there but not readable
        }

        var bodyOwnsHandle = false;
        try
        {
            var response = Respond(request, handle, choice, contentType, out bodyOwnsHandle);
            return ZoneResult.Respond(response);
        }
        finally
        {
            if (!bodyOwnsHandle) handle.Dispose();
        }
    }

    private ZoneResponse Respond(HttpRequest request, SafeFileHandle handle, Representation choice, string contentType, out bool bodyOwnsHandle)
    {
        bodyOwnsHandle = false;
        // Length and date come from the open handle, so they describe the very bytes sent.
        var length = RandomAccess.GetLength(handle);
        var modified = File.GetLastWriteTimeUtc(handle);
        var etag = EntityTag.ForFile(length, modified, choice.Coding);
        // On-the-fly output is not byte-for-byte stable, so its tag is weak and it has no
        // Last-Modified: a range request can then never be matched against it (If-Range), and
        // cannot splice identity bytes into a compressed download.
        DateTimeOffset? lastModified = choice.OnTheFly ? null : modified;
        if (choice.OnTheFly) etag = EntityTag.Weaken(etag);

        var validators = new HttpHeaders(5) { { HeaderNames.ETag, etag } };
        if (lastModified is { } date) validators.Add(HeaderNames.LastModified, HttpDate.Format(date));
        if (options.CacheControl is { Length: > 0 } cacheControl) validators.Add(HeaderNames.CacheControl, cacheControl);
        if (choice.Varies) validators.Add(HeaderNames.Vary, HeaderNames.AcceptEncoding);

        switch (Preconditions.Evaluate(request, etag, lastModified))
        {
            case PreconditionOutcome.NotModified: return WithHeaders(new ZoneResponse(304), validators);
            case PreconditionOutcome.Failed: return ZoneResponse.ForStatus(412);
        }

        if (choice.OnTheFly)
        {
            var compressed = WithHeaders(new ZoneResponse(200, new CompressedFileBody(handle, length, choice.Coding!)), validators);
            bodyOwnsHandle = true;
            return compressed.WithHeader(HeaderNames.ContentType, contentType).WithHeader(HeaderNames.ContentEncoding, choice.Coding!);
        }

        validators.Add(HeaderNames.AcceptRanges, "bytes");
        if (choice.Coding is { } coding) validators.Add(HeaderNames.ContentEncoding, coding);
        var ranges = request.Headers.CountOf(HeaderNames.Range) == 1 && Preconditions.RangeAllowed(request, etag, lastModified)
            ? ByteRanges.Parse(request.Headers[HeaderNames.Range], length)
            : new RangeRequest(RangeOutcome.Whole, []);

        ZoneResponse response;
        switch (ranges.Outcome)
        {
            case RangeOutcome.Unsatisfiable:
                return WithHeaders(ZoneResponse.ForStatus(416), validators).WithHeader(HeaderNames.ContentRange, $"bytes */{length}");
            case RangeOutcome.Partial when ranges.Ranges.Count == 1:
                var range = ranges.Ranges[0];
                response = new ZoneResponse(206, new OpenFileBody(handle, range.Start, range.Length))
                    .WithHeader(HeaderNames.ContentType, contentType)
                    .WithHeader(HeaderNames.ContentRange, range.ContentRange(length));
                break;
            case RangeOutcome.Partial:
                var boundary = MultipartByteRangesBody.NewBoundary();
                response = new ZoneResponse(206, new MultipartByteRangesBody(handle, ranges.Ranges, length, contentType, boundary))
                    .WithHeader(HeaderNames.ContentType, "multipart/byteranges; boundary=" + boundary);
                break;
            default:
                response = new ZoneResponse(200, new OpenFileBody(handle, 0, length)).WithHeader(HeaderNames.ContentType, contentType);
                break;
        }
        bodyOwnsHandle = true;
        return WithHeaders(response, validators);
    }

    private static ZoneResponse WithHeaders(ZoneResponse response, HttpHeaders headers)
    {
        foreach (var (name, value) in headers) response.Headers.Add(name, value);
        return response;
    }
}
