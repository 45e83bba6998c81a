using System.Text;
using Zones.Handlers.Feeds;

namespace Zones.Tests.Feeds;

/// <summary>An event is encoded for event streams once, and that cache is not part of what the event is.</summary>
public sealed class FeedEventTests
{
    private static FeedEvent Event(string data = "a\r\nb\rc") =>
        new("news", new FeedPosition("k3f9a2qx", 7), "update", data, new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_stream_form_has_the_id_the_name_and_one_data_line_per_line()
    {
        var e = Event();
        Assert.Equal("id: k3f9a2qx:7\nevent: update\ndata: a\ndata: b\ndata: c\n\n", Encoding.UTF8.GetString(e.ServerSentEvent));
        Assert.Same(e.ServerSentEvent, e.ServerSentEvent); // encoded once, however many streams ask
    }

    [Fact]
    public void An_encoded_event_equals_one_that_was_not_and_hashes_alike()
    {
        var encoded = Event();
        _ = encoded.ServerSentEvent;
        var fresh = Event();
        Assert.Equal(fresh, encoded);
        Assert.Equal(fresh.GetHashCode(), encoded.GetHashCode());
        Assert.NotEqual(Event("other"), encoded);
        Assert.NotEqual(encoded with { Name = FeedEvent.DefaultName }, encoded);
    }

    [Fact]
    public void A_copy_with_new_values_is_encoded_and_identified_by_them()
    {
        var original = Event();
        _ = (original.Id, original.ServerSentEvent);
        var copy = original with { Position = new FeedPosition("k3f9a2qx", 8), Data = "x" };
        Assert.Equal("k3f9a2qx:8", copy.Id);
        Assert.Equal("id: k3f9a2qx:8\nevent: update\ndata: x\n\n", Encoding.UTF8.GetString(copy.ServerSentEvent));
        Assert.Equal("k3f9a2qx:7", original.Id);
    }
}
