using System.Globalization;

namespace Zones.Server;

/// <summary>
/// What the process's file descriptors leave room for, read once at the start: the soft limit
/// (RLIMIT_NOFILE), less those already open (a JIT-compiled Zones.Host holds about 130: each
/// assembly twice, pipes, logs), less 64 for what loads later. When MaxConnections is not set,
/// three quarters of that room is for connections and a quarter for refusals still being
/// answered. Past its descriptors a process cannot open the file a request asks for, nor, before
/// its first requests, load the assemblies they need: a JIT-compiled Zones.Host flooded before its
/// first answer under `ulimit -n 256` died with "Out of memory."
/// </summary>
internal sealed record DescriptorLimit(long Limit, int OpenAtStart)
{
    /// <summary>Descriptors kept for what the process opens later: assemblies loaded at the first requests, log files.</summary>
    public const int Reserved = 64;

    /// <summary>Descriptors left for sockets.</summary>
    public long Room => Math.Max(0, Limit - OpenAtStart - Reserved);

    /// <summary>Connections open at once when MaxConnections is not set.</summary>
    public int Connections => (int)Math.Clamp(Room * 3 / 4, 1, int.MaxValue);

    /// <summary>Refusals (503 and close) in flight at once, within the quarter left.</summary>
    public int Refusals(int atMost) => (int)Math.Clamp(Room / 4, 1, atMost);

    /// <summary>This process's, on Linux; null where unknown or unlimited.</summary>
    public static DescriptorLimit? OfThisProcess() =>
        Read("/proc/self/limits") is { } limit && CountOpen("/proc/self/fd") is { } open ? new DescriptorLimit(limit, open) : null;

    /// <summary>The soft "Max open files" of a /proc/PID/limits file; null when unknown or unlimited.</summary>
    public static long? Read(string limitsFile)
    {
        try
        {
            if (!OperatingSystem.IsLinux() || !File.Exists(limitsFile)) return null;
            foreach (var line in File.ReadLines(limitsFile))
            {
                if (!line.StartsWith("Max open files", StringComparison.Ordinal)) continue;
                var soft = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
                return long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return null;
    }

    private static int? CountOpen(string folder)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(folder).Count();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
