using Zones.Http;

namespace Zones.RequestData;

/// <summary>
/// One uploaded file of a multipart form. Small files are kept in memory; larger ones (over
/// <see cref="FormLimits.MemoryThreshold"/>) sit in a temporary file that is deleted when the
/// request ends — read it, copy it or <see cref="SaveAsAsync"/> before then.
/// <see cref="FileName"/> is what the client sent: never use it as a path as it is.
/// </summary>
public sealed class FormFile
{
    private readonly ReadOnlyMemory<byte> _memory;

    internal FormFile(string name, string fileName, string contentType, HttpHeaders headers, long length, ReadOnlyMemory<byte> memory, string? tempFilePath)
    {
        Name = name;
        FileName = fileName;
        ContentType = contentType;
        Headers = headers;
        Length = length;
        _memory = memory;
        TempFilePath = tempFilePath;
    }

    /// <summary>The form field's name.</summary>
    public string Name { get; }

    /// <summary>The client's name for the file (may be empty, may hold anything).</summary>
    public string FileName { get; }

    /// <summary>The part's Content-Type, "application/octet-stream" when it had none.</summary>
    public string ContentType { get; }

    /// <summary>All headers of the part.</summary>
    public HttpHeaders Headers { get; }

    /// <summary>The upload's size in bytes.</summary>
    public long Length { get; }

    /// <summary>The temporary file holding the upload, or null when it is in memory. It is deleted when the request ends.</summary>
    public string? TempFilePath { get; private set; }

    /// <summary>A new read-only stream over the upload, from its start; the caller disposes it. Valid until the request ends.</summary>
    public Stream OpenReadStream() => TempFilePath is { } path
        ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, FileOptions.Asynchronous | FileOptions.SequentialScan)
        : System.Runtime.InteropServices.MemoryMarshal.TryGetArray(_memory, out var array)
            ? new MemoryStream(array.Array!, array.Offset, array.Count, writable: false)
            : new MemoryStream(_memory.ToArray(), writable: false);

    /// <summary>Copies the whole upload to <paramref name="destination"/> (to keep it past the request, which deletes the temporary file).</summary>
    public async Task CopyToAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        if (TempFilePath is null)
        {
            await destination.WriteAsync(_memory, cancellationToken);
            return;
        }
        await using var source = OpenReadStream();
        await source.CopyToAsync(destination, cancellationToken);
    }

    /// <summary>Keeps the upload at <paramref name="path"/> (moved when it is in a temporary file, so nothing is copied); the file must not exist yet.</summary>
    public async Task SaveAsAsync(string path, CancellationToken cancellationToken = default)
    {
        if (TempFilePath is { } temp)
        {
            try
            {
                File.Move(temp, path);
                TempFilePath = null;
                return;
            }
            catch (IOException) when (!File.Exists(path))
            {
                // Another volume: fall back to copying.
            }
        }
        await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
        await CopyToAsync(target, cancellationToken);
    }

    internal void DeleteTempFile()
    {
        if (TempFilePath is not { } path) return;
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
