using System.Text;

namespace Zones.Http;

/// <summary>The "Date: …\r\n" line, formatted once per second and shared by every response.</summary>
internal static class DateHeader
{
    // ValidUntil is Environment.TickCount64 (ms) at the next second of the wall clock: a response
    // reads only the coarse monotonic clock, which costs next to nothing, and not the precise wall
    // clock (about 1% of a pipelined plaintext server's CPU when read once per response).
    private sealed record Entry(long ValidUntil, byte[] Line);

    private static Entry _current = new(long.MinValue, []);

    public static ReadOnlySpan<byte> Line
    {
        get
        {
            var entry = Volatile.Read(ref _current);
            return Environment.TickCount64 < entry.ValidUntil ? entry.Line : Refresh();
        }
    }

    /// <summary>The line for the wall clock's current second (exposed for its test).</summary>
    internal static byte[] Refresh()
    {
        var now = DateTimeOffset.UtcNow;
        var entry = new Entry(Environment.TickCount64 + (1000 - now.Millisecond), Encoding.ASCII.GetBytes("Date: " + now.ToString("r") + "\r\n"));
        Volatile.Write(ref _current, entry);
        return entry.Line;
    }
}
