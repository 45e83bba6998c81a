using System.Buffers;
using System.IO.Pipelines;
using System.Text;

using Zones.Http;

namespace Zones.RequestData;

/// <summary>
/// Streams a multipart/form-data body (RFC 7578): each part's bytes go to a <see cref="PartBuffer"/>
/// as they arrive — memory for fields and small files, a temporary file past the threshold — so a
/// large upload never sits whole in memory. Limits are checked as bytes arrive; on any failure the
/// files written so far are deleted.
/// </summary>
internal static class MultipartFormReader
{
    public static async Task<RequestForm> ReadAsync(PipeReader reader, string boundary, FormLimits limits, CancellationToken cancellationToken)
    {
        var dashBoundary = Encoding.ASCII.GetBytes("--" + boundary);
        var delimiter = Encoding.ASCII.GetBytes("\r\n--" + boundary);
        var fields = new List<KeyValuePair<string, string>>();
        var files = new List<FormFile>();
        var done = false;
        try
        {
            // Anything before the first boundary is preamble, to be ignored.
            if (!await CopyUntilAsync(reader, dashBoundary, null, cancellationToken))
                throw Bad("The multipart body has no boundary line.");
            while (await StartPartAsync(reader, cancellationToken))
            {
                var headers = await ReadPartHeadersAsync(reader, limits, cancellationToken);
                var disposition = HeaderParameters.Parse(headers[HeaderNames.ContentDisposition]);
                if (!disposition.Value.Equals("form-data", StringComparison.OrdinalIgnoreCase) || disposition["name"] is not { } name)
                    throw Bad("A multipart part has no \"Content-Disposition: form-data; name=...\".");
                if (fields.Count + files.Count >= limits.MaxFields)
                    throw new BadHttpRequestException(413, $"The form has more than {limits.MaxFields} fields.");

                var fileName = disposition["filename"];
                await using var part = fileName is null
                    ? new PartBuffer(limits.MaxFieldSize, int.MaxValue, null, $"A form field is larger than {limits.MaxFieldSize} bytes.")
                    : new PartBuffer(limits.MaxFileSize ?? long.MaxValue, limits.MemoryThreshold, limits.TempFolder,
                        $"An uploaded file is larger than {limits.MaxFileSize} bytes.");
                if (!await CopyUntilAsync(reader, delimiter, part, cancellationToken))
                    throw Bad("The multipart body ended inside a part.");

                if (fileName is null)
                {
                    fields.Add(new(name, Encoding.UTF8.GetString(part.Memory.Span)));
                    continue;
                }
                var memory = part.Memory; // the part's own buffer, never reused: no copy needed
                var length = part.Length;
                var path = await part.CloseFileAsync();
                files.Add(new FormFile(name, fileName, headers[HeaderNames.ContentType] ?? "application/octet-stream", headers, length, memory, path));
            }
            done = true;
            return new RequestForm(ParameterList.Wrap(fields), files);
        }
        finally
        {
            if (!done) foreach (var file in files) file.DeleteTempFile();
        }
    }

    /// <summary>
    /// Copies bytes up to <paramref name="pattern"/> into <paramref name="sink"/> (or drops them)
    /// and consumes the pattern. Holds back only pattern-length bytes that could be its start.
    /// False when the body ends first.
    /// </summary>
    private static async ValueTask<bool> CopyUntilAsync(PipeReader reader, byte[] pattern, PartBuffer? sink, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (FormReader.TryFind(buffer, pattern, out var at))
            {
                if (sink is not null) await sink.WriteAsync(buffer.Slice(0, at), cancellationToken);
                reader.AdvanceTo(buffer.GetPosition(pattern.Length, at));
                return true;
            }
            if (result.IsCompleted)
            {
                reader.AdvanceTo(buffer.End);
                return false;
            }
            var safe = buffer.Length - (pattern.Length - 1);
            if (safe <= 0)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }
            var data = buffer.Slice(0, safe);
            if (sink is not null) await sink.WriteAsync(data, cancellationToken);
            reader.AdvanceTo(data.End, buffer.End);
        }
    }

    /// <summary>After a boundary: "--" ends the body (true = another part follows); else optional whitespace, then the line break before the part's headers.</summary>
    private static async ValueTask<bool> StartPartAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (buffer.Length >= 2)
            {
                var first = buffer.Slice(0, 2).ToArray();
                if (first[0] == '-' && first[1] == '-')
                {
                    reader.AdvanceTo(buffer.End);
                    await DrainAsync(reader, cancellationToken); // the epilogue, ignored
                    return false;
                }
                // Transport padding (RFC 2046) may sit between the boundary and its line break.
                var skip = 0L;
                foreach (var segment in buffer)
                {
                    var span = segment.Span;
                    var k = 0;
                    while (k < span.Length && (span[k] == ' ' || span[k] == '\t')) k++;
                    skip += k;
                    if (k < span.Length) break;
                }
                if (skip < buffer.Length)
                {
                    // Leave the CRLF in place: the header reader looks for CRLF CRLF from it, which also covers a part with no headers.
                    if (buffer.Slice(skip).FirstSpan[0] != '\r') throw Bad("A multipart boundary is not followed by a line break.");
                    reader.AdvanceTo(buffer.GetPosition(skip));
                    return true;
                }
                if (skip > 1024) throw Bad("A multipart boundary line is too long.");
            }
            if (result.IsCompleted) throw Bad("The multipart body ended without its closing boundary.");
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static async ValueTask<HttpHeaders> ReadPartHeadersAsync(PipeReader reader, FormLimits limits, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (FormReader.TryFind(buffer, "\r\n\r\n"u8, out var end))
            {
                var block = buffer.Slice(0, end);
                if (block.Length > limits.MaxPartHeaderSize) throw TooLargeHeaders(limits);
                if (block.Length > 0)
                {
                    // The block starts with the line break that ended the boundary line.
                    if (block.Length < 2 || !block.Slice(0, 2).ToArray().AsSpan().SequenceEqual("\r\n"u8))
                        throw Bad("A multipart boundary is not followed by a line break.");
                    block = block.Slice(2);
                }
                var headers = ParseHeaders(Encoding.UTF8.GetString(block));
                reader.AdvanceTo(buffer.GetPosition(4, end));
                return headers;
            }
            if (buffer.Length > limits.MaxPartHeaderSize) throw TooLargeHeaders(limits);
            if (result.IsCompleted) throw Bad("The multipart body ended inside a part's headers.");
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static HttpHeaders ParseHeaders(string block)
    {
        var headers = new HttpHeaders(2);
        if (block.Length == 0) return headers;
        foreach (var line in block.Split("\r\n"))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) throw Bad("A multipart part has a malformed header line.");
            try
            {
                headers.Add(line[..colon], line[(colon + 1)..].Trim(' ', '\t'));
            }
            catch (ArgumentException)
            {
                throw Bad("A multipart part has a malformed header line.");
            }
        }
        return headers;
    }

    private static async ValueTask DrainAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted) return;
        }
    }

    private static BadHttpRequestException Bad(string reason) => new(400, reason);

    private static BadHttpRequestException TooLargeHeaders(FormLimits limits) =>
        new(413, $"A multipart part's headers are larger than {limits.MaxPartHeaderSize} bytes.");
}
