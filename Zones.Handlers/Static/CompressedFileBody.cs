using System.Buffers;
using System.IO.Compression;
using Microsoft.Win32.SafeHandles;

namespace Zones.Handlers.Static;

/// <summary>
/// A file compressed as it is sent (gzip or br, System.IO.Compression at its fastest level). The
/// compressed length is not known in advance, so the response is chunked (close-delimited for
/// HTTP/1.0). The file is read in pooled blocks; the compressor's own buffers are pooled too.
/// </summary>
internal sealed class CompressedFileBody(SafeFileHandle handle, long length, string coding) : ResponseBody
{
    private const int BlockSize = 64 * 1024;

    public override long? Length => null;

    public override async ValueTask WriteAsync(ResponseBodyWriter writer, CancellationToken cancellationToken)
    {
        Stream compressor = coding == ContentCoding.Brotli
            ? new BrotliStream(writer.Stream, CompressionLevel.Fastest, leaveOpen: true)
            : new GZipStream(writer.Stream, CompressionLevel.Fastest, leaveOpen: true);
        var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            await using (compressor)
            {
                long position = 0;
                while (position < length)
                {
                    var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, (int)Math.Min(BlockSize, length - position)), position, cancellationToken);
                    if (read == 0) throw new FileChangedException();
                    await compressor.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    position += read;
                }
            } // disposing writes the compressor's final block
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public override ValueTask DisposeAsync()
    {
        handle.Dispose();
        return base.DisposeAsync();
    }
}
