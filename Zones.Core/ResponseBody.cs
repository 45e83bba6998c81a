namespace Zones;

/// <summary>
/// What a response carries. The server asks for <see cref="Length"/> to choose the framing
/// (Content-Length when known, chunked when null), calls <see cref="WriteAsync"/> unless the
/// request was HEAD, and always disposes the body — even when the client went away mid-way.
/// Subclass it for a body the built-in kinds do not cover (multipart ranges, say).
/// </summary>
public abstract class ResponseBody : IAsyncDisposable
{
    public static ResponseBody Empty { get; } = new BytesBody(ReadOnlyMemory<byte>.Empty);

    /// <summary>The exact number of bytes <see cref="WriteAsync"/> will write, or null if unknown.</summary>
    public abstract long? Length { get; }

    /// <summary>Runs before the head is written (e.g. opens the file), so a failure can still become a clean error response.</summary>
    public virtual ValueTask PrepareAsync(CancellationToken cancellationToken) => default;

    public abstract ValueTask WriteAsync(ResponseBodyWriter writer, CancellationToken cancellationToken);

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return default;
    }
}
