using System.Globalization;
using StackExchange.Redis;
using Zones.Handlers.Feeds;

namespace Zones.Redis;

/// <summary>A feed's history as the read script saw it at one moment: its epoch, its latest offset and the events read.</summary>
internal sealed record HistorySnapshot(string Epoch, long Head, IReadOnlyList<FeedEvent> Events)
{
    /// <summary>The read script's answer: <c>{ epoch, head, { { "0-OFFSET", { "n", name, "d", data, "t", ms } }, … } }</c>.</summary>
    public static HistorySnapshot Parse(string feed, RedisResult result)
    {
        var parts = (RedisResult[])result!;
        var epoch = (string)parts[0]!;
        var head = (long)parts[1];
        var entries = (RedisResult[])parts[2]!;
        var events = new List<FeedEvent>(entries.Length);
        foreach (var entry in entries)
        {
            var pair = (RedisResult[])entry!;
            var id = (string)pair[0]!;
            var offset = long.Parse(id.AsSpan(id.IndexOf('-') + 1), NumberStyles.None, CultureInfo.InvariantCulture);
            string name = FeedEvent.DefaultName, data = "";
            long time = 0;
            var fields = (RedisResult[])pair[1]!;
            for (var i = 0; i + 1 < fields.Length; i += 2)
            {
                switch ((string)fields[i]!)
                {
                    case "n": name = (string)fields[i + 1]!; break;
                    case "d": data = (string)fields[i + 1]!; break;
                    case "t": time = (long)fields[i + 1]; break;
                }
            }
            events.Add(new FeedEvent(feed, new FeedPosition(epoch, offset), name, data, DateTimeOffset.FromUnixTimeMilliseconds(time)));
        }
        return new HistorySnapshot(epoch, head, events);
    }
}
