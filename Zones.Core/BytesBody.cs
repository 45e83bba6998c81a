using System.Buffers;
namespace Zones;

/// <summary>Bytes in memory. Large ones go out in segments, each flushed, so a stalled reader is noticed by the data-rate check.</summary>
internal sealed class BytesBody(ReadOnlyMemory<byte> bytes) : ResponseBody
{
    internal const int SegmentSize = 64 * 1024;

    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    public override long? Length => Bytes.Length;

    public override ValueTask WriteAsync(ResponseBodyWriter writer, CancellationToken cancellationToken)
    {
        if (Bytes.IsEmpty) return default;
        if (writer.Pipe is { } pipe && Bytes.Length <= SegmentSize)
        {
            // One buffer for the whole body: written piecewise, it would fill the pipe's 4 KiB
            // buffers one by one, and the flush sends each buffer with a send(2) of its own.
            var span = pipe.GetSpan(Bytes.Length);
            Bytes.Span.CopyTo(span);
            pipe.Advance(Bytes.Length);
            return default;
        }
        return WriteSegmentsAsync(writer, cancellationToken);
    }

    private async ValueTask WriteSegmentsAsync(ResponseBodyWriter writer, CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < Bytes.Length; offset += SegmentSize)
        {
            var segment = Bytes.Slice(offset, Math.Min(SegmentSize, Bytes.Length - offset));
            if (writer.Pipe is { } pipe)
            {
                pipe.Write(segment.Span);
                await writer.FlushAsync(cancellationToken);
            }
            else
            {
                await writer.Stream.WriteAsync(segment, cancellationToken); // flushes each write
            }
        }
    }
}
