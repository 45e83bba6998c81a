using System.IO.Pipelines;

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

    internal ResponseBodyWriter(IResponseOutput output, Stream stream, bool rawPipeAllowed)
    {
        _output = output;
        Stream = stream;
        Pipe = rawPipeAllowed ? output.Output : null;
    }

    public Stream Stream { get; }

    public PipeWriter? Pipe { get; }

    /// <summary>Sends what has been written so far. Slow readers are cut off by the minimum response data rate.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _output.FlushAsync(cancellationToken);
}

/// <summary>The connection as seen by response writing: its output and a flush that is watched for stalls.</summary>
internal interface IResponseOutput
{
    PipeWriter Output { get; }

    ValueTask FlushAsync(CancellationToken cancellationToken);
}
