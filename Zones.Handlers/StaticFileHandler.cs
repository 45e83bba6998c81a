using Microsoft.Win32.SafeHandles;
using Zones.Http;
using Zones.Handlers.Static;

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

    public ValueTask<ZoneResult> HandleAsync(ZoneContext context) => ValueTask.FromResult(Handle(context));

    private ZoneResult Handle(ZoneContext context)
    {
        // "/file.txt/" names a folder; File.Exists is false for folders too.
        if (!_guard.TryResolve(context, static p => !p.EndsWith(Path.DirectorySeparatorChar) && File.Exists(p), out var path, out var refusal)) return refusal;
        var file = new FileInfo(path);
        if (!file.Exists) return ZoneResult.Pass; // removed since we looked
        var request = context.Request;
        if (!ReadOnlyMethods.Allow(request)) return ReadOnlyMethods.MethodNotAllowed();

        var contentType = context.State.ResponseHeader(HeaderNames.ContentType) ?? MediaTypes.For(path);
        var choice = Representation.Choose(context, file, contentType, options, _guard);
        OpenFile opened;
        try
        {
            opened = OpenFile.Open(choice.File);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return ZoneResult.Pass; // removed since we looked
        }
        catch (UnauthorizedAccessException)
        {
            return ZoneResult.Respond(ZoneResponse.ForStatus(403)); // as nginx: the file is there but not readable
        }

        try
        {
            return ZoneResult.Respond(Respond(request, opened, choice, contentType));
        }
        finally
        {
            opened.Release(); // unless a body took the handle
        }
    }

    private ZoneResponse Respond(HttpRequest request, OpenFile file, Representation choice, string contentType)
    {
        var length = file.Length;
        var etag = EntityTag.ForFile(length, file.Modified, choice.Coding);
        // On-the-fly output is not byte-for-byte stable, so its tag is weak and it has no
        // Last-Modified: a range request can then never be matched against it (If-Range), and
        // cannot splice identity bytes into a compressed download.
        DateTimeOffset? lastModified = choice.OnTheFly ? null : file.Modified;
        if (choice.OnTheFly) etag = EntityTag.Weaken(etag);

        var headers = new HttpHeaders(6) { { HeaderNames.ETag, etag } };
        if (lastModified is { } date) headers.Add(HeaderNames.LastModified, HttpDate.Format(date));
        if (options.CacheControl is { Length: > 0 } cacheControl) headers.Add(HeaderNames.CacheControl, cacheControl);
        if (choice.Varies) headers.Add(HeaderNames.Vary, HeaderNames.AcceptEncoding);

        switch (Preconditions.Evaluate(request, etag, lastModified))
        {
            case PreconditionOutcome.NotModified: return WithHeaders(new ZoneResponse(304), headers);
            case PreconditionOutcome.Failed: return ZoneResponse.ForStatus(412);
        }

        if (choice.OnTheFly)
        {
            headers.Add(HeaderNames.ContentEncoding, choice.Coding!);
            return WithHeaders(new ZoneResponse(200, new CompressedFileBody(file.Take(), length, choice.Coding!)), headers, contentType);
        }

        headers.Add(HeaderNames.AcceptRanges, "bytes");
        if (choice.Coding is { } coding) headers.Add(HeaderNames.ContentEncoding, coding);
        var ranges = request.Headers.CountOf(HeaderNames.Range) == 1 && Preconditions.RangeAllowed(request, etag, lastModified)
            ? ByteRanges.Parse(request.Headers[HeaderNames.Range], length)
            : new RangeRequest(RangeOutcome.Whole, []);

        switch (ranges.Outcome)
        {
            case RangeOutcome.Unsatisfiable:
                headers.Add(HeaderNames.ContentRange, $"bytes */{length}");
                return WithHeaders(ZoneResponse.ForStatus(416), headers);
            case RangeOutcome.Partial when ranges.Ranges.Count == 1:
                var range = ranges.Ranges[0];
                headers.Add(HeaderNames.ContentRange, range.ContentRange(length));
                return WithHeaders(new ZoneResponse(206, file.Body(range.Start, range.Length)), headers, contentType);
            case RangeOutcome.Partial:
                var boundary = MultipartByteRangesBody.NewBoundary();
                var parts = new MultipartByteRangesBody(file.Take(), ranges.Ranges, length, contentType, boundary);
                return WithHeaders(new ZoneResponse(206, parts), headers, "multipart/byteranges; boundary=" + boundary);
            default:
                return WithHeaders(new ZoneResponse(200, file.Body(0, length)), headers, contentType);
        }
    }

    private static ZoneResponse WithHeaders(ZoneResponse response, HttpHeaders headers, string? contentType = null)
    {
        if (contentType is not null) response.Headers[HeaderNames.ContentType] = contentType;
        foreach (var (name, value) in headers) response.Headers.Add(name, value);
        return response;
    }

    /// <summary>
    /// The chosen file, opened, with its length and date read from the handle so they describe
    /// the very bytes sent. An empty file is not opened at all: FIFOs, sockets and devices also
    /// report size 0, and opening a FIFO would block until some writer appeared.
    /// </summary>
    private sealed class OpenFile
    {
        private SafeFileHandle? _handle;

        private OpenFile(SafeFileHandle? handle, long length, DateTimeOffset modified)
        {
            _handle = handle;
            Length = length;
            Modified = modified;
        }

        public long Length { get; }

        public DateTimeOffset Modified { get; }

        public static OpenFile Open(FileInfo file)
        {
            if (file.Length == 0) return new OpenFile(null, 0, file.LastWriteTimeUtc);
            var handle = File.OpenHandle(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
            try
            {
                return new OpenFile(handle, RandomAccess.GetLength(handle), File.GetLastWriteTimeUtc(handle));
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }

        /// <summary>Hands the handle to a body, which closes it when the response ends.</summary>
        public SafeFileHandle Take()
        {
            var handle = _handle ?? throw new InvalidOperationException("An empty file has nothing to read.");
            _handle = null;
            return handle;
        }

        public ResponseBody Body(long offset, long length) =>
            _handle is null || length == 0 ? ResponseBody.Empty : new OpenFileBody(Take(), offset, length);

        /// <summary>Closes the handle unless a body took it.</summary>
        public void Release() => _handle?.Dispose();
    }
}
