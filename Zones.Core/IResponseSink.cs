using System.IO.Pipelines;
using Microsoft.Win32.SafeHandles;

namespace Zones;

/// <summary>
/// The connection's side of a <see cref="ResponseBodyWriter"/>: the framing of the body being
/// written and the output it goes to. The server's output owner implements it.
/// </summary>
internal interface IResponseSink
{
    /// <summary>The output itself when the body has a declared length and needs no framing; otherwise null.</summary>
    PipeWriter? RawBody { get; }

    /// <summary>Frames and buffers <paramref name="data"/> (a chunk when the body is chunked).</summary>
    void WriteBody(ReadOnlySpan<byte> data);

    ValueTask FlushAsync(CancellationToken cancellationToken);

    ValueTask<bool> TrySendFileAsync(SafeFileHandle file, long offset, long length, CancellationToken cancellationToken);

    /// <summary>Sends a body's bytes from memory as they are, without copying them into the output; false when this output cannot.</summary>
    ValueTask<bool> TrySendBytesAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) => new(false);

    bool BodyOpen { get; }

    long BodyBytes { get; }
}
