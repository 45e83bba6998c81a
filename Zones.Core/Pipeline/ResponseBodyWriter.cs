using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using Zones.Http;

namespace Zones;

/// <summary>
/// Where a <see cref="ResponseBody"/> writes. <see cref="Stream"/> always works and applies the
/// response's framing (each write becomes a chunk when the length is unknown). <see cref="Pipe"/>
/// is the connection's raw output, offered only when the length is known, for copying without
/// an intermediate buffer; a body that uses it must write exactly its declared length.
/// </summary>
public sealed class ResponseBodyWriter
{
    private readonly IResponseOutput _output;
    private bool _chunked;
    private long? _declaredLength;
    private BodyOutputStream? _stream;
    private bool _finished;
    private int _generation;

    internal ResponseBodyWriter(IResponseOutput output) => _output = output;


    /// <summary>Starts a new response body. The connection reuses one writer; a stream handed out before stops working.</summary>
    internal void Reset(bool chunked, long? declaredLength)
    {
        _chunked = chunked;
        _declaredLength = declaredLength;
        _stream = null;
        _finished = false;
        _generation++;
        BytesWritten = 0;
        Pipe = !chunked && declaredLength is not null ? _output.Output : null;
    }

    /// <summary>The body as a write-only stream in the response's framing; every write is flushed.</summary>
    public Stream Stream => _stream ??= new BodyOutputStream(this, _generation);

    public PipeWriter? Pipe { get; private set; }

    internal int Generation => _generation;

    /// <summary>Bytes written through <see cref="Stream"/> (not through <see cref="Pipe"/>).</summary>
    internal long BytesWritten { get; private set; }

    /// <summary>Sends what has been written so far. Slow readers are cut off by the minimum response data rate.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _output.FlushAsync(cancellationToken);

    /// <summary>
    /// Sends a range of an open file straight from the kernel (sendfile) when the body's framing is
    /// raw and the connection is a plain socket; false when it cannot, and the caller copies instead.
    /// </summary>
    public ValueTask<bool> TrySendFileAsync(Microsoft.Win32.SafeHandles.SafeFileHandle file, long offset, long length, CancellationToken cancellationToken = default) =>
        Pipe is null ? ValueTask.FromResult(false) : _output.TrySendFileAsync(file, offset, length, cancellationToken);

    internal void WriteFramed(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (data.IsEmpty) return; // an empty chunk would end a chunked body
        if (_declaredLength is { } declared && BytesWritten + data.Length > declared)
            throw new InvalidOperationException($"The response body is longer than its declared length of {declared} bytes.");
        var pipe = _output.Output;
        if (_chunked)
        {
            var head = pipe.GetSpan(18);
            Utf8Formatter.TryFormat(data.Length, head, out var n, new StandardFormat('X'));
            head[n++] = (byte)'\r';
            head[n++] = (byte)'\n';
            pipe.Advance(n);
            pipe.Write(data);
            pipe.Write("\r\n"u8);
        }
        else
        {
            pipe.Write(data);
        }
        BytesWritten += data.Length;
    }

    /// <summary>Ends the body: the last chunk for chunked framing. Nothing can be written after.</summary>
    internal void Finish()
    {
        if (_finished) return;
        _finished = true;
        if (_chunked) _output.Output.Write("0\r\n\r\n"u8);
    }

    internal bool IsFinished => _finished;
}

/// <summary>The connection as seen by response writing: its output and a flush that is watched for stalls.</summary>
internal interface IResponseOutput
{
    PipeWriter Output { get; }

    ValueTask FlushAsync(CancellationToken cancellationToken);

    ValueTask<bool> TrySendFileAsync(Microsoft.Win32.SafeHandles.SafeFileHandle file, long offset, long length, CancellationToken cancellationToken);
}
