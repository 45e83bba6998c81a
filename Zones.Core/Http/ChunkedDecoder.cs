using System.Buffers;

namespace Zones.Http;

/// <summary>
/// Decodes the chunked transfer coding (RFC 9112 §7.1) from whatever part of the body has
/// arrived, copying chunk data into the caller's buffer. Strict: CRLF after every size line and
/// every chunk, hex sizes that fit in 63 bits, size lines by the exact grammar (<see cref="ChunkLine"/>;
/// a lone LF in an extension is how Kestrel's CVE-2025-55315 smuggled requests), extensions bounded
/// in total by <see cref="HttpLimits.MaxChunkExtensionSize"/>, and trailers parsed like headers
/// and bounded by the header limits. Trailers land in their own collection, never among the
/// headers, and nothing in them (Content-Length, Transfer-Encoding, Host…) is ever read for framing.
/// </summary>
internal struct ChunkedDecoder
{
    private const int MaxChunkLine = 4096; // size + extensions, without CRLF; generous, and far below any header limit

    private enum Step { SizeLine, Data, DataEnd, Trailers, Done }

    private Step _step;
    private long _chunkRemaining;
    private long _trailerBytes;
    private long _extensionBytes; // all chunk extensions of the body so far, bounded by MaxChunkExtensionSize

    public readonly bool IsDone => _step == Step.Done;

    /// <summary>The sum of the chunk sizes announced so far: a body limit can refuse a huge chunk before its data arrives.</summary>
    public long DeclaredBytes { get; private set; }

    public void Reset() => this = default;

    /// <summary>
    /// Decodes from <paramref name="buffer"/> into <paramref name="destination"/> until the
    /// destination is full, the input runs out, or the body ends. Returns the bytes copied;
    /// <paramref name="consumed"/> is how far the input was used.
    /// </summary>
    public int Decode(in ReadOnlySequence<byte> buffer, Span<byte> destination, HttpHeaders trailers, HttpLimits limits, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        var copied = 0;
        while (_step != Step.Done)
        {
            if (_step == Step.SizeLine)
            {
                if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
                {
                    if (reader.Remaining > MaxChunkLine + 1) throw BadHttpRequestException.Bad("A chunk size line is too long."); // + its CR
                    break;
                }
                if (line.Length > MaxChunkLine + 1) throw BadHttpRequestException.Bad("A chunk size line is too long.");
                _chunkRemaining = ParseSizeLine(line, limits);
                DeclaredBytes += _chunkRemaining;
                _step = _chunkRemaining == 0 ? Step.Trailers : Step.Data;
            }
            else if (_step == Step.Data)
            {
                if (copied == destination.Length || reader.End) break;
                var take = (int)Math.Min(Math.Min(_chunkRemaining, reader.Remaining), destination.Length - copied);
                reader.UnreadSequence.Slice(0, take).CopyTo(destination[copied..]);
                reader.Advance(take);
                copied += take;
                _chunkRemaining -= take;
                if (_chunkRemaining == 0) _step = Step.DataEnd;
            }
            else if (_step == Step.DataEnd)
            {
                if (reader.Remaining < 2) break;
                if (!reader.IsNext("\r\n"u8, advancePast: true)) throw BadHttpRequestException.Bad("Chunk data is not followed by CRLF.");
                _step = Step.SizeLine;
            }
            else // Trailers
            {
                if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
                {
                    if (_trailerBytes + reader.Remaining > limits.MaxRequestHeadersTotalSize)
                        throw new BadHttpRequestException(431, "The request trailers are too large.");
                    break;
                }
                if (ParseTrailerLine(line, trailers, limits)) { _step = Step.Done; break; }
            }
        }
        consumed = reader.Position;
        return copied;
    }

    /// <summary>One trailer field line (LF removed); true when it is the empty line that ends the body.</summary>
    private bool ParseTrailerLine(in ReadOnlySequence<byte> lineWithCr, HttpHeaders trailers, HttpLimits limits)
    {
        var span = ToSpan(lineWithCr, stackalloc byte[256], out var rented);
        try
        {
            if (span.IsEmpty || span[^1] != '\r') throw BadHttpRequestException.Bad("A trailer line ends with a bare LF; CRLF is required.");
            span = span[..^1];
            if (span.IsEmpty) return true;
            _trailerBytes += lineWithCr.Length + 1;
            if (_trailerBytes > limits.MaxRequestHeadersTotalSize) throw new BadHttpRequestException(431, "The request trailers are too large.");
            if (trailers.Count >= limits.MaxRequestHeaderCount) throw new BadHttpRequestException(431, "The request has too many trailers.");
            if (span.Contains((byte)'\r')) throw BadHttpRequestException.Bad("A trailer holds a bare CR.");
            RequestHeadParser.ParseHeaderLine(span, trailers, cache: null);
            return false;
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>chunk-size [ chunk-ext ] CRLF, with the LF already removed; counts the extensions against their limit.</summary>
    private long ParseSizeLine(in ReadOnlySequence<byte> lineWithCr, HttpLimits limits)
    {
        var span = ToSpan(lineWithCr, stackalloc byte[256], out var rented);
        try
        {
            if (span.IsEmpty || span[^1] != '\r') throw BadHttpRequestException.Bad("A chunk size line ends with a bare LF; CRLF is required.");
            var size = ChunkLine.Parse(span[..^1], out var extensionLength);
            _extensionBytes += extensionLength;
            if (_extensionBytes > limits.MaxChunkExtensionSize)
                throw BadHttpRequestException.Bad("The chunk extensions of the request body are too long in total.");
            return size;
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static ReadOnlySpan<byte> ToSpan(in ReadOnlySequence<byte> sequence, Span<byte> scratch, out byte[]? rented)
    {
        rented = null;
        if (sequence.IsSingleSegment) return sequence.FirstSpan;
        var length = (int)sequence.Length;
        var target = length <= scratch.Length ? scratch : (rented = ArrayPool<byte>.Shared.Rent(length));
        sequence.CopyTo(target);
        return target[..length];
    }
}
