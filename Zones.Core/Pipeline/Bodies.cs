using System.Buffers;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Zones;

/// <summary>UTF-8 text. The byte count is computed once, for Content-Length.</summary>
public sealed class TextBody(string text) : ResponseBody
{
    private long _length = -1;

    public string Text { get; } = text;

    public override long? Length => _length >= 0 ? _length : _length = ZoneResponse.Utf8.GetByteCount(Text);

    public override ValueTask WriteAsync(ResponseBodyWriter writer, CancellationToken cancellationToken)
    {
        if (writer.Pipe is { } pipe && Length <= BytesBody.SegmentSize)
        {
            ZoneResponse.Utf8.GetBytes(Text, pipe);
            return default;
        }
        return new BytesBody(ZoneResponse.Utf8.GetBytes(Text)).WriteAsync(writer, cancellationToken);
    }
}

/// <summary>Bytes in memory. Large ones go out in segments, each flushed, so a stalled reader is noticed by the data-rate check.</summary>
public sealed class BytesBody(ReadOnlyMemory<byte> bytes) : ResponseBody
{
    internal const int SegmentSize = 64 * 1024;

    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    public override long? Length => Bytes.Length;

    public override ValueTask WriteAsync(ResponseBodyWriter writer, CancellationToken cancellationToken)
    {
        if (Bytes.IsEmpty) return default;
        if (writer.Pipe is { } pipe && Bytes.Length <= SegmentSize) { pipe.Write(Bytes.Span); return default; }
        return WriteSegmentsAsync(writer, cancellationToken);
    }

    private async ValueTask WriteSegmentsAsync(ResponseBodyWriter writer, CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < Bytes.Length; offset += SegmentSize)
        {
            var segment = Bytes.Slice(offset, Math.Min(SegmentSize, Bytes.Length - offset));
            if (writer.Pipe is { } pipe)
            {
                pipe.Write(segment.Span);
                await writer.FlushAsync(cancellationToken);
            }
            else
            {
                await writer.Stream.WriteAsync(segment, cancellationToken); // flushes each write
            }
        }
    }
}

/// <summary>
/// A file or a byte range of it, read in pooled blocks straight into the connection's output:
/// a 10 GB file costs the same memory as a 10 KB one. The handle is opened in
/// <see cref="PrepareAsync"/> and always closed in <see cref="DisposeAsync"/>.
/// </summary>
public sealed class FileBody(string path, long offset = 0, long? length = null) : ResponseBody
{
    private const int BlockSize = 64 * 1024;
    private const long SendFileThreshold = 256 * 1024;
    private SafeFileHandle? _handle;
    private long _length = -1;

    public string Path { get; } = path;

    public long Offset { get; } = offset;

    public override long? Length => _length >= 0 ? _length : throw new InvalidOperationException("PrepareAsync has not run.");

    public override ValueTask PrepareAsync(CancellationToken cancellationToken)
    {
        _handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
        var fileLength = RandomAccess.GetLength(_handle);
        if (Offset < 0 || Offset > fileLength) throw new ArgumentOutOfRangeException(nameof(offset), "The offset lies outside the file.");
        var available = fileLength - Offset;
        _length = length is { } wanted ? Math.Min(Math.Max(0, wanted), available) : available;
        return default;
    }

    public override ValueTask WriteAsync(ResponseBodyWriter writer, CancellationToken cancellationToken) =>
        CopyAsync(_handle ?? throw new InvalidOperationException("PrepareAsync has not run."), Offset, _length, writer, cancellationToken);

    /// <summary>
    /// Copies <paramref name="length"/> bytes of an open file from <paramref name="offset"/> to the
    /// response, in blocks read straight into the connection's output (or through one pooled
    /// buffer when the body is framed). For bodies made of file ranges, such as multipart/byteranges.
    /// </summary>
    public static async ValueTask CopyAsync(SafeFileHandle handle, long offset, long length, ResponseBodyWriter writer, CancellationToken cancellationToken)
    {
        // Large ranges go out with sendfile(2) when the connection allows: no copy through user space.
        if (length >= SendFileThreshold && await writer.TrySendFileAsync(handle, offset, length, cancellationToken)) return;
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
                var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BlockSize);
                try
                {
                    read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, (int)Math.Min(BlockSize, remaining)), position, cancellationToken);
                    await writer.Stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            if (read == 0) throw new IOException("The file became shorter while it was being sent.");
            position += read;
            remaining -= read;
            await writer.FlushAsync(cancellationToken);
        }
    }

    public override ValueTask DisposeAsync()
    {
        _handle?.Dispose();
        return base.DisposeAsync();
    }
}

/// <summary>A stream copied out and then disposed. With a known length it must deliver exactly that many bytes.</summary>
public sealed class StreamBody(Stream stream, long? length = null) : ResponseBody
{
    public override long? Length => length;

    public override async ValueTask WriteAsync(ResponseBodyWriter writer, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(32 * 1024);
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
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>A body written by a callback, for output produced as it goes; sent chunked.</summary>
public sealed class WriterBody(Func<Stream, CancellationToken, Task> write) : ResponseBody
{
    public override long? Length => null;

    public override ValueTask WriteAsync(ResponseBodyWriter writer, CancellationToken cancellationToken) =>
        new(write(writer.Stream, cancellationToken));
}
