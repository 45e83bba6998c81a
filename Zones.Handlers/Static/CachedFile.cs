namespace Zones.Handlers.Static;

/// <summary>
/// What the file cache knows about one path: the file as it was when checked (its symbolic links
/// stayed under the root), the precompressed siblings that qualified then, and — for small files —
/// the bytes of each, read from the handle whose length and date they match. Never changed once
/// made: a newer state of the path is a new entry.
/// </summary>
internal sealed class CachedFile(FileInfo file, FileInfo? brotli, FileInfo? gzip, long checkedAt)
{
    public FileInfo File { get; } = file;
    public FileInfo? Brotli { get; } = brotli;
    public FileInfo? Gzip { get; } = gzip;

    /// <summary>When the links and siblings were checked, in <see cref="Environment.TickCount64"/> milliseconds.</summary>
    public long CheckedAt { get; } = checkedAt;

    public byte[]? FileBytes { get; init; }
    public byte[]? BrotliBytes { get; init; }
    public byte[]? GzipBytes { get; init; }

    public long ByteCount => (FileBytes?.Length ?? 0L) + (BrotliBytes?.Length ?? 0) + (GzipBytes?.Length ?? 0);

    /// <summary>True when a fresh look at the path shows the same file: same length, same modification time.</summary>
    public bool Describes(FileInfo now) => now.Length == File.Length && now.LastWriteTimeUtc == File.LastWriteTimeUtc;

    // Made on first use and kept: the same for every request while this entry stands.
    private FileValidators? _fileValidators, _brotliValidators, _gzipValidators;

    /// <summary>The ETag and Last-Modified of one of this entry's files sent as it is (a sibling with its content coding), formatted once for all requests.</summary>
    public FileValidators ValidatorsOf(FileInfo chosen)
    {
        if (ReferenceEquals(chosen, Brotli)) return _brotliValidators ??= FileValidators.For(chosen.Length, chosen.LastWriteTimeUtc, ContentCoding.Brotli);
        if (ReferenceEquals(chosen, Gzip)) return _gzipValidators ??= FileValidators.For(chosen.Length, chosen.LastWriteTimeUtc, ContentCoding.Gzip);
        return _fileValidators ??= FileValidators.For(chosen.Length, chosen.LastWriteTimeUtc, coding: null);
    }

    /// <summary>The bytes held for one of this entry's files, or null when that one is read from disk.</summary>
    public byte[]? BytesOf(FileInfo chosen) =>
        ReferenceEquals(chosen, File) ? FileBytes : ReferenceEquals(chosen, Brotli) ? BrotliBytes : ReferenceEquals(chosen, Gzip) ? GzipBytes : null;
}
