using Zones.Http;

namespace Zones.Handlers.Static;

/// <summary>
/// The answer for an opened file: validators (ETag, Last-Modified), then RFC 9110's decisions in
/// order — preconditions (304, 412), on-the-fly compression, ranges (206, multipart/byteranges,
/// 416) — else the whole file.
/// </summary>
internal static class FileResponse
{
    public static ZoneResponse For(HttpRequest request, OpenedFile file, Representation choice, string contentType, StaticFileOptions options)
    {
        var length = file.Length;
        var etag = file.Validators?.ETag ?? EntityTag.ForFile(length, file.Modified, choice.Coding);
        // On-the-fly output is not byte-for-byte stable, so its tag is weak and it has no
        // Last-Modified: a range request can then never be matched against it (If-Range), and
        // cannot splice identity bytes into a compressed download.
        DateTimeOffset? lastModified = choice.OnTheFly ? null : file.Modified;
        if (choice.OnTheFly) etag = EntityTag.Weaken(etag);

        var headers = new HttpHeaders(6) { { HeaderNames.ETag, etag } };
        if (lastModified is { } date) headers.Add(HeaderNames.LastModified, file.Validators?.LastModified ?? HttpDate.Format(date));
        if (options.CacheControl is { Length: > 0 } cacheControl) headers.Add(HeaderNames.CacheControl, cacheControl);
        if (choice.Varies) headers.Add(HeaderNames.Vary, HeaderNames.AcceptEncoding);

        switch (Preconditions.Evaluate(request, etag, lastModified))
        {
            case PreconditionOutcome.NotModified: return With(new ZoneResponse(304), headers);
            case PreconditionOutcome.Failed: return ZoneResponse.ForStatus(412);
        }

        if (choice.OnTheFly)
        {
            headers.Add(HeaderNames.ContentEncoding, choice.Coding!);
            return With(new ZoneResponse(200, new CompressedFileBody(file.Take(), length, choice.Coding!)), headers, contentType);
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
                return With(ZoneResponse.ForStatus(416), headers);
            case RangeOutcome.Partial when ranges.Ranges.Count == 1:
                var range = ranges.Ranges[0];
                headers.Add(HeaderNames.ContentRange, range.ContentRange(length));
                return With(new ZoneResponse(206, file.Body(range.Start, range.Length)), headers, contentType);
            case RangeOutcome.Partial:
                var boundary = MultipartByteRangesBody.NewBoundary();
                var parts = new MultipartByteRangesBody(file.Take(), ranges.Ranges, length, contentType, boundary);
                return With(new ZoneResponse(206, parts), headers, "multipart/byteranges; boundary=" + boundary);
            default:
                return With(new ZoneResponse(200, file.Body(0, length)), headers, contentType);
        }
    }

    private static ZoneResponse With(ZoneResponse response, HttpHeaders headers, string? contentType = null)
    {
        if (contentType is not null) response.Headers[HeaderNames.ContentType] = contentType;
        foreach (var (name, value) in headers) response.Headers.Add(name, value);
        return response;
    }
}
