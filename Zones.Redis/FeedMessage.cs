using System.Globalization;
using Zones.Handlers.Feeds;

namespace Zones.Redis;

/// <summary>
/// A live event on a feed's pub/sub channel, as the publish script writes it:
/// <c>EPOCH \n OFFSET \n NAME \n TIME-MS \n DATA</c>. Epochs, offsets, names and times never hold a
/// line feed, so the data (which may) is simply the rest.
/// </summary>
internal static class FeedMessage
{
    public static FeedEvent? Parse(string feed, string message)
    {
        var rest = message.AsSpan();
        if (!Next(ref rest, out var epoch) || !Next(ref rest, out var offsetText) || !Next(ref rest, out var name) || !Next(ref rest, out var timeText)) return null;
        if (!long.TryParse(offsetText, NumberStyles.None, CultureInfo.InvariantCulture, out var offset)) return null;
        if (!long.TryParse(timeText, NumberStyles.None, CultureInfo.InvariantCulture, out var time)) return null;
        return new FeedEvent(feed, new FeedPosition(epoch.ToString(), offset), name.ToString(), rest.ToString(), DateTimeOffset.FromUnixTimeMilliseconds(time));
    }

    private static bool Next(ref ReadOnlySpan<char> rest, out ReadOnlySpan<char> field)
    {
        var end = rest.IndexOf('\n');
        if (end < 0)
        {
            field = default;
            return false;
        }
        field = rest[..end];
        rest = rest[(end + 1)..];
        return true;
    }
}
