using System.Buffers;

using Zones.Http;

namespace Zones.RequestData;

/// <summary>
/// Where one multipart part's bytes go as they stream in: memory up to a threshold, then a
/// temporary file (created readable by this user only). Enforces the part's size limit as bytes
/// arrive, so an oversized upload is refused before it is stored.
/// </summary>
internal sealed class PartBuffer(long maxSize, int memoryThreshold, string? tempFolder, string tooLarge) : IAsyncDisposable
{
    private MemoryStream? _memory;
    private FileStream? _file;

    public long Length { get; private set; }

    public string? TempFilePath { get; private set; }

    public async ValueTask WriteAsync(ReadOnlySequence<byte> data, CancellationToken cancellationToken)
    {
        if (data.IsEmpty) return;
        if (Length + data.Length > maxSize) throw new BadHttpRequestException(413, tooLarge);
        if (_file is null && Length + data.Length > memoryThreshold) await SpillAsync(cancellationToken);
        Length += data.Length;
        if (_file is null)
        {
            _memory ??= new MemoryStream();
            foreach (var segment in data) _memory.Write(segment.Span);
            return;
        }
        foreach (var segment in data) await _file.WriteAsync(segment, cancellationToken);
    }

    /// <summary>The bytes held in memory (only when nothing spilled to disk).</summary>
    public ReadOnlyMemory<byte> Memory => _memory is null ? ReadOnlyMemory<byte>.Empty : _memory.GetBuffer().AsMemory(0, (int)_memory.Length);

    /// <summary>Closes the temporary file so it can be read; from now on the caller owns it.</summary>
    public async ValueTask<string?> CloseFileAsync()
    {
        if (_file is null) return null;
        await _file.DisposeAsync();
        _file = null;
        var path = TempFilePath;
        TempFilePath = null;
        return path;
    }

    private async ValueTask SpillAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(tempFolder ?? Path.GetTempPath(), $"zones-upload-{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.Read | FileShare.Delete,
            Options = FileOptions.Asynchronous,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        _file = new FileStream(path, options);
        TempFilePath = path;
        if (_memory is { Length: > 0 }) await _file.WriteAsync(_memory.GetBuffer().AsMemory(0, (int)_memory.Length), cancellationToken);
        _memory = null;
    }

    /// <summary>Drops what was stored: used when the form fails part-way.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_file is not null) await _file.DisposeAsync();
        _file = null;
        if (TempFilePath is { } path)
        {
            try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            TempFilePath = null;
        }
    }
}
