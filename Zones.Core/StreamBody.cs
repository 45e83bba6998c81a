using System.Buffers;

namespace Zones;

/// <summary>A stream copied out and then disposed. With a known length it must deliver exactly that many bytes.</summary>
internal sealed class StreamBody(Stream stream, long? length = null) : ResponseBody
{
    public override long? Length => length;

    public override async ValueTask WriteAsync(ResponseBodyWriter writer, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            long total = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
                await writer.Stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
            if (length is { } expected && total != expected)
                throw new IOException($"The response stream gave {total} bytes but {expected} were declared.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        await base.DisposeAsync();
    }
}
