
namespace Zones.Handlers.Feeds;

/// <summary>
/// One published event: its feed, its place in the feed's history (<see cref="Id"/> is that place
/// as clients see it, <c>EPOCH:OFFSET</c>), a name ("message" unless said otherwise), the data and
/// when it was published.
/// </summary>
public sealed record FeedEvent(string Feed, FeedPosition Position, string Name, string Data, DateTimeOffset Time)
{
    /// <summary>The event name a browser's EventSource delivers to onmessage; an event published without a name has it.</summary>
    public const string DefaultName = "message";

    /// <summary>The id clients see and resume from: SSE's <c>id:</c>, long-poll's <c>after</c>.</summary>
    public string Id { get; } = Position.ToString();

    /// <summary>The event's number in its feed, 1, 2, 3…</summary>
    public long Offset => Position.Offset;
}
