using System.Buffers;

namespace Zones.Http;

/// <summary>
/// Finds the end of a request head as bytes arrive, one line at a time, and enforces the size
/// limits while the head is still incomplete — a client cannot make the server buffer more than
/// the limits allow, and each byte is looked at once however slowly it arrives.
/// </summary>
internal struct HeadScanner
{
    private long _lineStart;   // offset of the first byte of the line being scanned
    private int _lines;        // complete lines seen, request line included
    private long _headerBytes; // bytes of header lines so far

    /// <summary>Where the request line starts: leading empty lines (RFC 9112 §2.2) are skipped.</summary>
    public long HeadStart { get; private set; }

    /// <summary>True once the request line is complete (its LF seen).</summary>
    public readonly bool SawRequestLine => _lines > 0;

    public void Reset() => this = default;

    /// <summary>True when the empty line that ends the head is in <paramref name="buffer"/>; <paramref name="headEnd"/> is the offset after it.</summary>
    public bool TryFindEnd(in ReadOnlySequence<byte> buffer, HttpLimits limits, out long headEnd)
    {
        // Lines in the first segment (all of a head, mostly) are found with a vectorised search of
        // the span; a line that crosses into the next segment, and those after it, with the reader.
        var first = buffer.FirstSpan;
        while (_lineStart < first.Length)
        {
            var lf = first[(int)_lineStart..].IndexOf((byte)'\n');
            if (lf < 0) break;
            var isEmpty = lf == 0 || (lf == 1 && first[(int)_lineStart] == '\r');
            if (EndLine(buffer, _lineStart + lf + 1, isEmpty, limits)) { headEnd = _lineStart; return true; }
        }
        if (!buffer.IsSingleSegment)
        {
            var reader = new SequenceReader<byte>(buffer);
            reader.Advance(_lineStart);
            while (reader.TryAdvanceTo((byte)'\n'))
            {
                var lineEnd = reader.Consumed;
                var lineLength = lineEnd - _lineStart; // with its LF (and CR)
                var isEmpty = lineLength == 1 || (lineLength == 2 && buffer.Slice(_lineStart, 1).FirstSpan[0] == '\r');
                if (EndLine(buffer, lineEnd, isEmpty, limits)) { headEnd = _lineStart; return true; }
            }
        }

        // No end yet: refuse now if what is buffered already breaks a limit.
        var pending = buffer.Length - _lineStart;
        if (_lines == 0 && pending > limits.MaxRequestLineSize + 2)
            throw RequestLineTooLong(buffer.Slice(_lineStart), limits);
        if (_lines > 0 && _headerBytes + pending > limits.MaxRequestHeadersTotalSize)
            throw new BadHttpRequestException(431, "The request headers are too large.");
        headEnd = 0;
        return false;
    }

    /// <summary>Counts the line that ends at <paramref name="lineEnd"/> against the limits and moves past it; true when it is the empty line that ends the head.</summary>
    private bool EndLine(in ReadOnlySequence<byte> buffer, long lineEnd, bool isEmpty, HttpLimits limits)
    {
        var lineLength = lineEnd - _lineStart; // with its LF (and CR)
        if (_lines == 0)
        {
            if (isEmpty && HeadStart + 16 >= lineEnd)
            {
                // A few stray CRLFs before a request are tolerated (some clients send one after a body).
                HeadStart = _lineStart = lineEnd;
                return false;
            }
            if (lineLength - 2 > limits.MaxRequestLineSize)
                throw RequestLineTooLong(buffer.Slice(_lineStart, lineLength), limits);
        }
        else if (isEmpty)
        {
            _lineStart = lineEnd;
            return true;
        }
        else
        {
            _headerBytes += lineLength;
            if (_headerBytes > limits.MaxRequestHeadersTotalSize)
                throw new BadHttpRequestException(431, "The request headers are too large.");
            if (_lines > limits.MaxRequestHeaderCount)
                throw new BadHttpRequestException(431, "The request has too many headers.");
        }
        _lines++;
        _lineStart = lineEnd;
        return false;
    }

    /// <summary>
    /// 414 only when the target is what is too long (RFC 9110 §15.5.15); a method that has no end
    /// in sight, or is not a token, and a version that runs on after a short target are 400.
    /// </summary>
    private static BadHttpRequestException RequestLineTooLong(ReadOnlySequence<byte> line, HttpLimits limits)
    {
        var reader = new SequenceReader<byte>(line);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> method, (byte)' ') || method.Length > limits.MaxRequestLineSize || !IsToken(method))
            return BadHttpRequestException.Bad("The method is too long or not a token.");
        if (reader.TryAdvanceTo((byte)' ') && reader.Consumed - 1 <= limits.MaxRequestLineSize)
            return BadHttpRequestException.Bad("The request line is malformed (too long after its target).");
        return new BadHttpRequestException(414, "The request target is too long.");
    }

    private static bool IsToken(in ReadOnlySequence<byte> bytes)
    {
        if (bytes.IsEmpty) return false;
        foreach (var segment in bytes)
        {
            foreach (var b in segment.Span)
            {
                if (!HttpCharacters.IsTokenChar(b)) return false;
            }
        }
        return true;
    }
}
