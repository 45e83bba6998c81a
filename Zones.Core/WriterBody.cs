namespace Zones;

/// <summary>A body written by a callback, for output produced as it goes; sent chunked.</summary>
internal sealed class WriterBody(Func<Stream, CancellationToken, Task> write) : ResponseBody
{
    public override long? Length => null;

    public override ValueTask WriteAsync(ResponseBodyWriter writer, CancellationToken cancellationToken) =>
        new(write(writer.Stream, cancellationToken));
}
