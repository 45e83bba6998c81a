
namespace Zones.Handlers.Feeds;

/// <summary>
/// One published event: its feed, its place in the feed's history (<see cref="Id"/> is that place
/// as clients see it, <c>EPOCH:OFFSET</c>), a name ("message" unless said otherwise), the data and
/// when it was published.
/// </summary>
public sealed record FeedEvent(string Feed, FeedPosition Position, string Name, string Data, DateTimeOffset Time)
{
    // Derived from the five values and kept once made; a copy (`with`) starts without them, so
    // an event made from another with a new position or data never carries the old one's.
    private string? _id;
    private byte[]? _serverSentEvent;

    private FeedEvent(FeedEvent original)
    {
        Feed = original.Feed;
        Position = original.Position;
        Name = original.Name;
        Data = original.Data;
        Time = original.Time;
    }

    /// <summary>The event name a browser's EventSource delivers to onmessage; an event published without a name has it.</summary>
    public const string DefaultName = "message";

    /// <summary>The id clients see and resume from: SSE's <c>id:</c>, long-poll's <c>after</c>.</summary>
    public string Id => _id ??= Position.ToString();

    /// <summary>The event's number in its feed, 1, 2, 3…</summary>
    public long Offset => Position.Offset;

    /// <summary>
    /// The event in text/event-stream form, encoded once however many streams carry it (a feed
    /// with a thousand subscribers would otherwise encode every event a thousand times). Two
    /// threads may both encode it first; they make the same bytes, and either copy is kept.
    /// </summary>
    internal byte[] ServerSentEvent => _serverSentEvent ??= ServerSentEvents.Encode(this);

    /// <summary>Equal when the five values are: the cached encoding is not part of what an event is.</summary>
    public bool Equals(FeedEvent? other) =>
        other is not null && Feed == other.Feed && Position == other.Position && Name == other.Name && Data == other.Data && Time == other.Time;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Feed, Position, Name, Data, Time);
}
