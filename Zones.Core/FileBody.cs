using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Zones;

/// <summary>
/// A file or a byte range of it, read in pooled blocks straight into the connection's output:
/// a 10 GB file costs the same memory as a 10 KB one. The handle is opened in
/// <see cref="PrepareAsync"/> and always closed in <see cref="DisposeAsync"/>.
/// </summary>
public sealed class FileBody(string path, long offset = 0, long? length = null) : ResponseBody
{
    private const int BlockSize = 64 * 1024;
    private SafeFileHandle? _handle;
    private long _length = -1;

    /// <summary>The file's path, as given.</summary>
    public string Path { get; } = path;

    /// <summary>Where the body starts in the file, in bytes.</summary>
    public long Offset { get; } = offset;

    /// <summary>The bytes sent: from <see cref="Offset"/> to the requested length or the file's end, whichever comes first.</summary>
    /// <exception cref="InvalidOperationException"><see cref="PrepareAsync"/> has not run.</exception>
    public override long? Length => _length >= 0 ? _length : throw new InvalidOperationException("PrepareAsync has not run.");

    /// <summary>Opens the file (shared for reading, writing and deletion) and fixes the length from the open handle.</summary>
    /// <exception cref="IOException">The file cannot be opened (missing, a folder, no permission).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The offset lies outside the file.</exception>
    public override ValueTask PrepareAsync(CancellationToken cancellationToken)
    {
        _handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
        var fileLength = RandomAccess.GetLength(_handle);
        if (Offset < 0 || Offset > fileLength) throw new ArgumentOutOfRangeException(nameof(offset), "The offset lies outside the file.");
        var available = fileLength - Offset;
        _length = length is { } wanted ? Math.Min(Math.Max(0, wanted), available) : available;
        return default;
    }

    /// <inheritdoc/>
    public override ValueTask WriteAsync(ResponseBodyWriter writer, CancellationToken cancellationToken) =>
        CopyAsync(_handle ?? throw new InvalidOperationException("PrepareAsync has not run."), Offset, _length, writer, cancellationToken);

    /// <summary>
    /// Copies <paramref name="length"/> bytes of an open file from <paramref name="offset"/> to the
    /// response, in blocks read straight into the connection's output (or through one pooled
    /// buffer when the body is framed). For bodies made of file ranges, such as multipart/byteranges.
    /// A file that became shorter since it was opened fails the copy: the response cannot be
    /// completed, and the server closes the connection rather than send fewer bytes than declared.
    /// </summary>
    public static async ValueTask CopyAsync(SafeFileHandle handle, long offset, long length, ResponseBodyWriter writer, CancellationToken cancellationToken)
    {
        // Large ranges go out with sendfile(2) when the connection allows: no copy through user space.
        if (length >= SendFileSizes.MinLength && await writer.TrySendFileAsync(handle, offset, length, cancellationToken)) return;
        var position = offset;
        var remaining = length;
        while (remaining > 0)
        {
            int read;
            if (writer.Pipe is { } pipe)
            {
                var memory = pipe.GetMemory(BlockSize);
                var block = memory.Length > remaining ? memory[..(int)remaining] : memory;
                read = await RandomAccess.ReadAsync(handle, block, position, cancellationToken);
                pipe.Advance(read);
            }
            else
            {
                var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
                try
                {
                    read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, (int)Math.Min(BlockSize, remaining)), position, cancellationToken);
                    await writer.Stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            if (read == 0) throw new FileChangedException();
            position += read;
            remaining -= read;
            await writer.FlushAsync(cancellationToken);
        }
    }

    /// <inheritdoc/>
    public override ValueTask DisposeAsync()
    {
        _handle?.Dispose();
        return base.DisposeAsync();
    }
}
