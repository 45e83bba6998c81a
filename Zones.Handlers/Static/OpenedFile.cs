using Microsoft.Win32.SafeHandles;

namespace Zones.Handlers.Static;

/// <summary>
/// The chosen file, opened, with its length and date read from the handle so they describe
/// the very bytes sent. An empty file is not opened at all: FIFOs, sockets and devices also
/// report size 0, and opening a FIFO would block until some writer appeared.
/// </summary>
internal sealed class OpenedFile : IDisposable
{
    private SafeFileHandle? _handle;

    private OpenedFile(SafeFileHandle? handle, long length, DateTimeOffset modified)
    {
        _handle = handle;
        Length = length;
        Modified = modified;
    }

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

    /// <summary>Hands the handle to a body, which closes it when the response ends.</summary>
    public SafeFileHandle Take()
    {
        var handle = _handle ?? throw new InvalidOperationException("An empty file has nothing to read.");
        _handle = null;
        return handle;
    }

    /// <summary>A body for a byte range; it owns the handle from now on.</summary>
    public ResponseBody Body(long offset, long length) =>
        _handle is null || length == 0 ? ResponseBody.Empty : new OpenFileBody(Take(), offset, length);

    /// <summary>Closes the handle unless a body took it.</summary>
    public void Dispose() => _handle?.Dispose();
}
