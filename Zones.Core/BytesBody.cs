using Zones.Http;

namespace Zones;

/// <summary>
/// Bytes in memory. Small ones are copied into the output with the head, for one send. Larger
/// ones go to a plain socket as they are, after the head (a copy of them would cost more than the
/// second send); elsewhere (TLS) in segments, each flushed, so a stalled reader is noticed by the
/// data-rate check.
/// </summary>
internal sealed class BytesBody(ReadOnlyMemory<byte> bytes) : ResponseBody
{
    internal const int SegmentSize = BlockWrites.BlockSize;

    /// <summary>From this length the bytes are sent from memory rather than copied (bench/run.sh's static-mix, by hand).</summary>
    internal const int SendFromMemoryLength = 4 * 1024;

    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    public override long? Length => Bytes.Length;

    public override ValueTask WriteAsync(ResponseBodyWriter writer, CancellationToken cancellationToken)
    {
        if (Bytes.IsEmpty) return default;
        if (writer.Pipe is { } pipe && Bytes.Length < SendFromMemoryLength)
        {
            pipe.WriteInBlocks(Bytes.Span); // one buffer for the whole body, one send
            return default;
        }
        return WriteSegmentsAsync(writer, cancellationToken);
    }

    private async ValueTask WriteSegmentsAsync(ResponseBodyWriter writer, CancellationToken cancellationToken)
    {
        if (Bytes.Length >= SendFromMemoryLength && await writer.TrySendBytesAsync(Bytes, cancellationToken)) return;
        if (writer.Pipe is { } whole && Bytes.Length <= SegmentSize)
        {
            whole.WriteInBlocks(Bytes.Span); // as a small body: the response's own flush sends it
            return;
        }
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
