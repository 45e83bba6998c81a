using System.Collections.Concurrent;

namespace Zones.Handlers.Static;

/// <summary>
/// The staticfile zone's open-file cache, after nginx's open_file_cache: per path, what the
/// symbolic-link walk and the sibling lookups found, and the bytes of files up to
/// <see cref="StaticFileOptions.CacheMaxFileSize"/>, so a request for a cached file costs one
/// stat and one send instead of a readlink per segment, an open, a read on the thread pool and a
/// close. The stat is made on every request, so an edited file (a new length or modification
/// time) is served new at once; links and siblings are looked at again once a second. Bounded by
/// entry count and by bytes held: past either, files are served from disk as without a cache.
/// </summary>
internal sealed class FileCache(StaticFileOptions options)
{
    /// <summary>How long a check of links and siblings stands.</summary>
    public const long RecheckMilliseconds = 1000;

    private readonly ConcurrentDictionary<string, CachedFile> _entries = new(StringComparer.Ordinal);
    private readonly Lock _changing = new(); // stores and removals, so the byte count stays exact; lookups take no lock
    private long _bytes;

    public int Count => _entries.Count;

    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>The entry for <paramref name="path"/> when it still describes <paramref name="now"/> (a stat just made) and was checked within the last second.</summary>
    public CachedFile? Find(string path, FileInfo now)
    {
        if (!_entries.TryGetValue(path, out var entry)) return null;
        if (entry.Describes(now) && Environment.TickCount64 - entry.CheckedAt < RecheckMilliseconds) return entry;
        Forget(path);
        return null;
    }

    /// <summary>
    /// Makes the entry for a path the caller has just checked (exists, links inside the root) and
    /// keeps it when there is room; small files' bytes are read now. Throws as opening the file
    /// would (gone, unreadable).
    /// </summary>
    public CachedFile Store(string path, FileInfo file, FileInfo? brotli, FileInfo? gzip)
    {
        var checkedAt = Environment.TickCount64;
        if (options.CacheMaxEntries == 0) return new CachedFile(file, brotli, gzip, checkedAt);
        var entry = new CachedFile(file, brotli, gzip, checkedAt)
        {
            FileBytes = ReadSmall(file),
            BrotliBytes = ReadSmall(brotli),
            GzipBytes = ReadSmall(gzip),
        };
        lock (_changing)
        {
            _entries.TryGetValue(path, out var old);
            if (old is null && _entries.Count >= options.CacheMaxEntries) return entry; // full: served, not kept
            var held = _bytes - (old?.ByteCount ?? 0);
            // No room for the bytes: keep what was checked, not what was read.
            if (held + entry.ByteCount > options.CacheMaxBytes) entry = new CachedFile(file, brotli, gzip, checkedAt);
            _entries[path] = entry;
            Volatile.Write(ref _bytes, held + entry.ByteCount);
        }
        return entry;
    }

    /// <summary>Drops the entry for a path that is gone or changed.</summary>
    public void Forget(string path)
    {
        // Most calls are for paths never cached (folders, missing files, in every request that passes through): no lock for those.
        if (!_entries.ContainsKey(path)) return;
        lock (_changing)
        {
            if (_entries.TryRemove(path, out var old)) Volatile.Write(ref _bytes, _bytes - old.ByteCount);
        }
    }

    /// <summary>The whole file when it is small enough to hold and its handle still shows the length and date the stat did; else null.</summary>
    private byte[]? ReadSmall(FileInfo? file)
    {
        if (file is null || file.Length == 0 || file.Length > options.CacheMaxFileSize) return null; // 0: maybe a FIFO, never opened
        using var handle = File.OpenHandle(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = RandomAccess.GetLength(handle);
        if (length != file.Length || File.GetLastWriteTimeUtc(handle) != file.LastWriteTimeUtc) return null; // changing as we look
        var bytes = new byte[length];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
            if (n == 0) return null; // shrunk meanwhile
            read += n;
        }
        return bytes;
    }
}
