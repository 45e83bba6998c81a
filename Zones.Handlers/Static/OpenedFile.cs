using Microsoft.Win32.SafeHandles;

namespace Zones.Handlers.Static;

/// <summary>
/// The chosen file, opened, with its length and date read from the handle so they describe
/// the very bytes sent — or, for a small file the cache holds, those bytes in memory. An empty
/// file is not opened at all: FIFOs, sockets and devices also report size 0, and opening a FIFO
/// would block until some writer appeared.
/// </summary>
internal sealed class OpenedFile : IDisposable
{
    private SafeFileHandle? _handle;
    private readonly ReadOnlyMemory<byte>? _bytes;

    private OpenedFile(SafeFileHandle? handle, long length, DateTimeOffset modified, ReadOnlyMemory<byte>? bytes = null, FileValidators? validators = null)
    {
        _handle = handle;
        Length = length;
        Modified = modified;
        _bytes = bytes;
        Validators = validators;
    }

    /// <summary>A cached file's bytes, read when the cache took it with this date, and its validators as the cache formatted them.</summary>
    public static OpenedFile InMemory(ReadOnlyMemory<byte> bytes, DateTimeOffset modified, FileValidators validators) => new(null, bytes.Length, modified, bytes, validators);

    /// <summary>The ETag and Last-Modified of the file sent as it is, when the cache has them; null for a file opened from disk.</summary>
    public FileValidators? Validators { get; }

    public long Length { get; }

    public DateTimeOffset Modified { get; }

    /// <summary>Opens <paramref name="file"/>; throws FileNotFoundException (or DirectoryNotFoundException) when it went away, UnauthorizedAccessException when unreadable.</summary>
    public static OpenedFile Open(FileInfo file)
    {
        if (file.Length == 0) return new OpenedFile(null, 0, file.LastWriteTimeUtc);
        var handle = File.OpenHandle(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
        try
        {
            return new OpenedFile(handle, RandomAccess.GetLength(handle), File.GetLastWriteTimeUtc(handle));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Hands the handle to a body, which closes it when the response ends (not for a file in memory: the handler opens one for ranges and compression).</summary>
    public SafeFileHandle Take()
    {
        var handle = _handle ?? throw new InvalidOperationException(_bytes is null ? "An empty file has nothing to read." : "A file in memory has no handle.");
        _handle = null;
        return handle;
    }

    /// <summary>A body for a byte range; it owns the handle from now on.</summary>
    public ResponseBody Body(long offset, long length) =>
        length == 0 ? ResponseBody.Empty
        : _bytes is { } bytes ? InMemoryBody(bytes.Slice((int)offset, (int)length))
        : _handle is null ? ResponseBody.Empty
        : new OpenFileBody(Take(), offset, length);

    // Core's bytes body (written with the head in one send when it fits the pipe's buffer); it is made through the public factory.
    private static ResponseBody InMemoryBody(ReadOnlyMemory<byte> bytes) => ZoneResponse.Bytes(bytes).Body;

    /// <summary>Closes the handle unless a body took it.</summary>
    public void Dispose() => _handle?.Dispose();
}
