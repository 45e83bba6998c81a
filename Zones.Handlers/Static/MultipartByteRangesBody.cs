using System.Buffers;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Zones.Handlers.Static;

/// <summary>
/// A 206 with several ranges (RFC 9110 §14.6): multipart/byteranges, each part with its own
/// Content-Type and Content-Range, streamed from the open file. The length is worked out in
/// advance, so the response carries Content-Length and no chunking.
/// </summary>
internal sealed class MultipartByteRangesBody : ResponseBody
{
    private readonly SafeFileHandle _handle;
    private readonly IReadOnlyList<ByteRange> _ranges;
    private readonly byte[][] _partHeads;
    private readonly byte[] _closing;

    public MultipartByteRangesBody(SafeFileHandle handle, IReadOnlyList<ByteRange> ranges, long totalLength, string contentType, string boundary)
    {
        _handle = handle;
        _ranges = ranges;
        _partHeads = new byte[ranges.Count][];
        long length = 0;
        for (var i = 0; i < ranges.Count; i++)
        {
            // The CRLF before each delimiter belongs to the delimiter (RFC 2046 §5.1.1).
            var head = $"{(i == 0 ? "" : "\r\n")}--{boundary}\r\nContent-Type: {contentType}\r\nContent-Range: {ranges[i].ContentRange(totalLength)}\r\n\r\n";
            _partHeads[i] = Encoding.ASCII.GetBytes(head);
            length += _partHeads[i].Length + ranges[i].Length;
        }
        _closing = Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n");
        Length = length + _closing.Length;
    }

    public override long? Length { get; }

    /// <summary>A boundary no file is likely to hold: 24 random hex digits.</summary>
    public static string NewBoundary() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));

    public override async ValueTask WriteAsync(ResponseBodyWriter writer, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _ranges.Count; i++)
        {
            await WriteBytesAsync(writer, _partHeads[i], cancellationToken);
            await FileBody.CopyAsync(_handle, _ranges[i].Start, _ranges[i].Length, writer, cancellationToken);
        }
        await WriteBytesAsync(writer, _closing, cancellationToken);
    }

    private static ValueTask WriteBytesAsync(ResponseBodyWriter writer, byte[] bytes, CancellationToken cancellationToken)
    {
        if (writer.Pipe is not { } pipe) return writer.Stream.WriteAsync(bytes, cancellationToken);
        pipe.Write(bytes);
        return default;
    }

    public override ValueTask DisposeAsync()
    {
        _handle.Dispose();
        return base.DisposeAsync();
    }
}
