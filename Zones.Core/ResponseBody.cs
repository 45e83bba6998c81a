namespace Zones;

/// <summary>
/// What a response carries. The server asks for <see cref="Length"/> to choose the framing
/// (Content-Length when known, chunked when null), calls <see cref="WriteAsync"/> unless the
/// request was HEAD, and always disposes the body — even when the client went away mid-way.
/// Subclass it for a body the built-in kinds do not cover (multipart ranges, say).
/// </summary>
public abstract class ResponseBody : IAsyncDisposable
{
    /// <summary>A body of zero bytes; shared, so disposing it does nothing.</summary>
    public static ResponseBody Empty { get; } = new BytesBody(ReadOnlyMemory<byte>.Empty);

    /// <summary>The exact number of bytes <see cref="WriteAsync"/> will write, or null if unknown.</summary>
    public abstract long? Length { get; }

    /// <summary>Runs before the head is written (e.g. opens the file), so a failure can still become a clean error response.</summary>
    public virtual ValueTask PrepareAsync(CancellationToken cancellationToken) => default;

    /// <summary>Writes the body, exactly <see cref="Length"/> bytes when that is known (more or fewer throws and the connection is closed: the framing would lie).</summary>
    /// <param name="writer">The connection's output; flush it to send what is written so far.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away or stops reading.</param>
    public abstract ValueTask WriteAsync(ResponseBodyWriter writer, CancellationToken cancellationToken);

    /// <summary>Releases what the body holds (a file handle, a stream); called once by the server, whether or not the body was written.</summary>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return default;
    }
}
