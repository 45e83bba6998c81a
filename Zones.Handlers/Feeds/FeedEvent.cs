
namespace Zones.Handlers.Feeds;

/// <summary>One published event: its feed, the id the feed gave it (1, 2, 3… per feed), a name ("message" unless said otherwise), the data and when it was published.</summary>
public sealed record FeedEvent(string Feed, long Id, string Name, string Data, DateTimeOffset Time)
{
    public const string DefaultName = "message";
}
