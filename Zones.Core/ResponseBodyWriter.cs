using System.IO.Pipelines;
using Microsoft.Win32.SafeHandles;

namespace Zones;

/// <summary>
/// Where a <see cref="ResponseBody"/> writes. <see cref="Stream"/> always works and applies the
/// response's framing (each write becomes a chunk when the length is unknown). <see cref="Pipe"/>
/// is the connection's raw output, offered only when the length is known, for copying without
/// an intermediate buffer. Either way the connection counts the bytes: a body longer than its
/// declared length fails, and a shorter one makes the connection close after it, since the
/// client could not tell where the next response begins.
/// </summary>
public sealed class ResponseBodyWriter
{
    private readonly IResponseSink _sink;
    private BodyOutputStream? _stream;
    private int _generation;

    internal ResponseBodyWriter(IResponseSink sink) => _sink = sink;

    /// <summary>Starts a new response body. The connection reuses one writer; a stream handed out before stops working.</summary>
    internal void Begin()
    {
        _generation++;
        _stream = null;
    }

    internal int Generation => _generation;

    /// <summary>The body as a write-only stream in the response's framing; every write is flushed.</summary>
    public Stream Stream => _stream ??= new BodyOutputStream(this, _generation);

    /// <summary>The raw output for a body of known length (null when the body is framed): write exactly the declared length.</summary>
    public PipeWriter? Pipe => _sink.RawBody;

    /// <summary>Sends what has been written so far. Slow readers are cut off by the minimum response data rate.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _sink.FlushAsync(cancellationToken);

    /// <summary>
    /// Sends a range of an open file straight from the kernel (sendfile) when the body's framing is
    /// raw and the connection is a plain socket; false when it cannot, and the caller copies instead.
    /// </summary>
    public ValueTask<bool> TrySendFileAsync(SafeFileHandle file, long offset, long length, CancellationToken cancellationToken = default) =>
        _sink.TrySendFileAsync(file, offset, length, cancellationToken);

    /// <summary>
    /// Sends bytes held in memory straight to a plain socket when the body's framing is raw;
    /// false when it cannot, and the caller copies instead.
    /// </summary>
    internal ValueTask<bool> TrySendBytesAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) =>
        _sink.TrySendBytesAsync(bytes, cancellationToken);

    internal void Write(ReadOnlySpan<byte> data) => _sink.WriteBody(data);

    /// <summary>The body is still being written (not finished, not replaced by a later response's).</summary>
    internal bool IsOpen(int generation) => generation == _generation && _sink.BodyOpen;

    internal long BytesWritten => _sink.BodyBytes;
}
