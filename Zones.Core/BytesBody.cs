using Zones.Http;

namespace Zones;

/// <summary>Bytes in memory. Large ones go out in segments, each flushed, so a stalled reader is noticed by the data-rate check.</summary>
internal sealed class BytesBody(ReadOnlyMemory<byte> bytes) : ResponseBody
{
    internal const int SegmentSize = BlockWrites.BlockSize;

    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    public override long? Length => Bytes.Length;

    public override ValueTask WriteAsync(ResponseBodyWriter writer, CancellationToken cancellationToken)
    {
        if (Bytes.IsEmpty) return default;
        if (writer.Pipe is { } pipe && Bytes.Length <= SegmentSize)
        {
            pipe.WriteInBlocks(Bytes.Span); // one buffer for the whole body, one send
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
                pipe.WriteInBlocks(segment.Span);
                await writer.FlushAsync(cancellationToken);
            }
            else
            {
                await writer.Stream.WriteAsync(segment, cancellationToken); // flushes each write
            }
        }
    }
}
