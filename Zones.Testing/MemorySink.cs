using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Win32.SafeHandles;

namespace Zones.Testing;

/// <summary>A response body's output in memory: the body's bytes as written, without framing (no sendfile: files take the copy path).</summary>
internal sealed class MemorySink : IResponseSink
{
    private readonly MemoryStream _bytes = new();
    private readonly PipeWriter _pipe;

    public MemorySink() => _pipe = PipeWriter.Create(_bytes, new StreamPipeWriterOptions(leaveOpen: true));

    public PipeWriter? RawBody => _pipe;

    public bool BodyOpen { get; private set; } = true;

    public long BodyBytes => _bytes.Length + (_pipe.CanGetUnflushedBytes ? _pipe.UnflushedBytes : 0);

    public void WriteBody(ReadOnlySpan<byte> data) => _pipe.Write(data);

    public async ValueTask FlushAsync(CancellationToken cancellationToken) => await _pipe.FlushAsync(cancellationToken);

    public ValueTask<bool> TrySendFileAsync(SafeFileHandle file, long offset, long length, CancellationToken cancellationToken) => new(false);

    /// <summary>Ends the body and returns every byte it wrote.</summary>
    public async Task<byte[]> EndAsync()
    {
        BodyOpen = false;
        await _pipe.CompleteAsync();
        return _bytes.ToArray();
    }
}
