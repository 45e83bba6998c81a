using System.Buffers;
using System.IO.Pipelines;
using Zones.Http;

namespace Zones.RequestData;

/// <summary>Picks the form decoder by Content-Type and runs it over the request body.</summary>
internal static class FormReader
{
    public const string UrlEncoded = "application/x-www-form-urlencoded";
    public const string Multipart = "multipart/form-data";

    public static bool IsFormContentType(string? contentType)
    {
        var media = HeaderParameters.Parse(contentType).Value;
        return media.Equals(UrlEncoded, StringComparison.OrdinalIgnoreCase) || media.Equals(Multipart, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Reads <paramref name="body"/> as the form its <paramref name="contentTypeHeader"/> declares.</summary>
    public static async Task<RequestForm> ReadAsync(Stream body, string? contentTypeHeader, FormLimits limits, CancellationToken cancellationToken)
    {
        var contentType = HeaderParameters.Parse(contentTypeHeader);
        // A large buffer means fewer, larger writes to a spilled upload; the memory is pooled.
        var reader = PipeReader.Create(body, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
        try
        {
            if (contentType.Value.Equals(UrlEncoded, StringComparison.OrdinalIgnoreCase))
                return await UrlEncodedFormReader.ReadAsync(reader, limits, cancellationToken);
            if (contentType.Value.Equals(Multipart, StringComparison.OrdinalIgnoreCase))
            {
                var boundary = contentType["boundary"];
                if (string.IsNullOrEmpty(boundary) || boundary.Length > 70)
                    throw new BadHttpRequestException(400, "The multipart/form-data body has no valid boundary (1 to 70 characters).");
                return await MultipartFormReader.ReadAsync(reader, boundary, limits, cancellationToken);
            }
            throw new BadHttpRequestException(415, $"Expected a form ({UrlEncoded} or {Multipart}), got \"{contentType.Value}\".");
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    /// <summary>Where <paramref name="pattern"/> starts in <paramref name="buffer"/>, searching across segments.</summary>
    public static bool TryFind(in ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> pattern, out SequencePosition position)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (reader.TryReadTo(out ReadOnlySequence<byte> _, pattern, advancePastDelimiter: false))
        {
            position = reader.Position;
            return true;
        }
        position = default;
        return false;
    }
}
