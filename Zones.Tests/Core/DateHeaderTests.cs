using System.Globalization;
using System.Text;
using Zones.Http;

namespace Zones.Tests.Core;

/// <summary>The shared Date line: the wall clock's second in RFC 9110's format, and the next second after it.</summary>
public sealed class DateHeaderTests
{
    private static DateTimeOffset Parse(ReadOnlySpan<byte> line)
    {
        var text = Encoding.ASCII.GetString(line);
        Assert.StartsWith("Date: ", text);
        Assert.EndsWith("\r\n", text);
        return DateTimeOffset.ParseExact(text[6..^2], "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    [Fact]
    public void The_line_is_the_current_second_in_the_http_date_format()
    {
        var before = DateTimeOffset.UtcNow;
        var date = Parse(DateHeader.Line);
        var after = DateTimeOffset.UtcNow;
        Assert.InRange(date, before.AddMilliseconds(-before.Millisecond).AddSeconds(-1), after);
    }

    [Fact]
    public async Task The_line_moves_on_with_the_wall_clock()
    {
        var first = Parse(DateHeader.Line);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        DateTimeOffset next;
        while ((next = Parse(DateHeader.Line)) == first)
        {
            Assert.True(DateTime.UtcNow < deadline, "the Date line did not change in 5 s");
            await Task.Delay(20);
        }
        // The next second, not a jump: and it agrees with the wall clock when read.
        Assert.InRange(next - first, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.InRange(DateTimeOffset.UtcNow - next, TimeSpan.Zero, TimeSpan.FromSeconds(2));
    }
}
