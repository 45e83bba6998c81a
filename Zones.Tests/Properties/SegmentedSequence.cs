using System.Buffers;

namespace Zones.Tests.Properties;

/// <summary>Builds a ReadOnlySequence with a segment boundary at every given split point, as a socket delivering pieces would.</summary>
internal static class SegmentedSequence
{
    public static ReadOnlySequence<byte> Create(byte[] data, IReadOnlyList<int> splits)
    {
        var points = splits.Where(s => s > 0 && s < data.Length).Distinct().Order().Append(data.Length).ToList();
        Segment? first = null, last = null;
        var start = 0;
        foreach (var end in points)
        {
            var segment = new Segment(data.AsMemory(start, end - start), last);
            first ??= segment;
            last = segment;
            start = end;
        }
        if (first is null) return ReadOnlySequence<byte>.Empty;
        return new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, Segment? previous)
        {
            Memory = memory;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }
}
