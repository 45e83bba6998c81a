using System.Globalization;

namespace Zones.Handlers.Static;

/// <summary>One satisfiable range: bytes <see cref="Start"/> to <see cref="End"/>, both included.</summary>
internal readonly record struct ByteRange(long Start, long End)
{
    public long Length => End - Start + 1;

    public string ContentRange(long total) => $"bytes {Start}-{End}/{total}";
}

internal enum RangeOutcome
{
    /// <summary>No usable Range header (absent, another unit, malformed, or too many ranges): send the whole representation.</summary>
    Whole,
    /// <summary>206 with <see cref="RangeRequest.Ranges"/>.</summary>
    Partial,
    /// <summary>416 with "Content-Range: bytes */LEN".</summary>
    Unsatisfiable,
}

internal readonly record struct RangeRequest(RangeOutcome Outcome, IReadOnlyList<ByteRange> Ranges);

/// <summary>
/// The Range header (RFC 9110 §14.1.2): <c>bytes=a-b</c>, <c>bytes=a-</c>, <c>bytes=-n</c>, or
/// a list of them. Offsets are 64-bit. A malformed header is ignored, as the RFC allows;
/// ranges past the end are dropped and only when none is left is the answer 416. Overlapping or
/// nearly adjacent ranges are merged (§14.6), so "bytes=0-,0-,0-…" cannot multiply a download.
/// </summary>
internal static class ByteRanges
{
    /// <summary>More range specs than this and the header is ignored: no client needs them, and each costs a part.</summary>
    public const int MaxRanges = 100;

    /// <summary>Ranges closer than this are sent as one part: a part's own header costs about as much.</summary>
    private const long CoalesceGap = 80;

    private static readonly RangeRequest Whole = new(RangeOutcome.Whole, []);

    public static RangeRequest Parse(string? header, long length)
    {
        if (header is null) return Whole;
        var spec = header.AsSpan().Trim(" \t");
        if (!spec.StartsWith("bytes", StringComparison.OrdinalIgnoreCase)) return Whole;
        spec = spec[5..].TrimStart(" \t");
        if (spec.IsEmpty || spec[0] != '=') return Whole;
        spec = spec[1..];

        var ranges = new List<ByteRange>();
        var specs = 0;
        foreach (var part in spec.Split(','))
        {
            var element = spec[part].Trim(" \t");
            if (element.IsEmpty) continue; // empty list elements are allowed
            if (++specs > MaxRanges) return Whole;
            if (!TryParseSpec(element, length, out var range, out var satisfiable)) return Whole;
            if (satisfiable) ranges.Add(range);
        }
        if (specs == 0) return Whole;
        if (ranges.Count == 0) return new(RangeOutcome.Unsatisfiable, []);
        return new(RangeOutcome.Partial, Coalesce(ranges));
    }

    private static bool TryParseSpec(ReadOnlySpan<char> element, long length, out ByteRange range, out bool satisfiable)
    {
        range = default;
        satisfiable = false;
        var dash = element.IndexOf('-');
        if (dash < 0) return false;
        var first = element[..dash];
        var last = element[(dash + 1)..];
        if (first.IsEmpty)
        {
            // suffix-range: the last n bytes
            if (!TryDigits(last, out var suffix)) return false;
            satisfiable = suffix > 0 && length > 0;
            if (satisfiable) range = new(Math.Max(0, length - suffix), length - 1);
            return true;
        }
        if (!TryDigits(first, out var start)) return false;
        var end = long.MaxValue;
        if (!last.IsEmpty && !TryDigits(last, out end)) return false;
        if (end < start) return false; // "5-3" is invalid, not unsatisfiable
        satisfiable = start < length;
        if (satisfiable) range = new(start, Math.Min(end, length - 1));
        return true;
    }

    // 1*DIGIT; a number too big for a long means "beyond any file", so it saturates.
    private static bool TryDigits(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        if (text.IsEmpty) return false;
        foreach (var c in text) if (c is < '0' or > '9') return false;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value)) value = long.MaxValue;
        return true;
    }

    /// <summary>Keeps the client's order unless some ranges overlap or nearly touch; then they are merged in offset order.</summary>
    private static List<ByteRange> Coalesce(List<ByteRange> ranges)
    {
        if (ranges.Count == 1) return ranges;
        var sorted = ranges.OrderBy(r => r.Start).ToList();
        var needed = false;
        for (var i = 1; i < sorted.Count && !needed; i++) needed = sorted[i].Start <= sorted[i - 1].End + CoalesceGap;
        if (!needed) return ranges;
        var merged = new List<ByteRange> { sorted[0] };
        foreach (var range in sorted.Skip(1))
        {
            var previous = merged[^1];
            if (range.Start <= previous.End + CoalesceGap) merged[^1] = previous with { End = Math.Max(previous.End, range.End) };
            else merged.Add(range);
        }
        return merged;
    }
}
