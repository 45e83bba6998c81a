using System.Text;

namespace Zones.Http;

/// <summary>The "Date: …\r\n" line, formatted once per second and shared by every response.</summary>
internal static class DateHeader
{
    private sealed record Entry(long Second, byte[] Line);

    private static Entry _current = new(-1, []);

    public static ReadOnlySpan<byte> Line
    {
        get
        {
            var now = DateTimeOffset.UtcNow;
            var second = now.ToUnixTimeSeconds();
            var entry = Volatile.Read(ref _current);
            if (entry.Second != second)
            {
                entry = new Entry(second, Encoding.ASCII.GetBytes("Date: " + now.ToString("r") + "\r\n"));
                Volatile.Write(ref _current, entry);
            }
            return entry.Line;
        }
    }
}
