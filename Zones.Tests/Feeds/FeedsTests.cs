using System.Text.Json;
using Zones.Handlers.Feeds;

namespace Zones.Tests.Feeds;

/// <summary>The in-process feeds: positions, the replay buffer, resumes and resets, long-poll waits and slow subscribers.</summary>
public sealed class FeedsTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Each_feed_numbers_its_events_from_one_in_an_epoch_of_its_own()
    {
        var feeds = new InProcessFeeds();
        var a1 = await feeds.PublishAsync("a", "x", "1");
        var a2 = await feeds.PublishAsync("a", "x", "2");
        var b1 = await feeds.PublishAsync("b", "", "1");
        Assert.Equal((1L, 2L, 1L), (a1.Offset, a2.Offset, b1.Offset));
        Assert.Equal(a1.Position.Epoch, a2.Position.Epoch);
        Assert.NotEqual(a1.Position.Epoch, b1.Position.Epoch);
        Assert.Equal($"{a2.Position.Epoch}:2", a2.Id);
        Assert.Equal("message", feeds.Since("b")[0].Name);
        Assert.Equal(a2.Position, feeds.Head("a"));
        Assert.Null(feeds.Head("missing"));
        Assert.Equal(["a", "b"], feeds.Names.Order());
    }

    [Theory]
    [InlineData("k3f9a2qx:42", "k3f9a2qx", 42L)]
    [InlineData("41", "", 41L)]
    [InlineData("0", "", 0L)]
    public void Ids_parse_as_epoch_and_offset_and_plain_numbers_have_no_epoch(string text, string epoch, long offset)
    {
        Assert.True(FeedPosition.TryParse(text, out var position));
        Assert.Equal(new FeedPosition(epoch, offset), position);
        Assert.Equal(text, position.ToString());
        Assert.Equal(text == "0", position.IsStart);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData(":4")]
    [InlineData("a b:4")]
    [InlineData("e:")]
    [InlineData("e:-4")]
    [InlineData("e:4:5")]
    [InlineData("0123456789012345678901234567890123:1")] // an epoch of 34 characters
    public void Malformed_ids_do_not_parse(string text) => Assert.False(FeedPosition.TryParse(text, out _));

    [Fact]
    public void The_replay_buffer_keeps_only_the_latest_events()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { BufferSize = 3 });
        for (var i = 1; i <= 10; i++) feeds.Publish("f", "e", i.ToString());
        var epoch = feeds.Head("f")!.Value.Epoch;
        Assert.Equal([8L, 9L, 10L], feeds.Since("f").Select(e => e.Offset));
        Assert.Equal([10L], feeds.Since("f", new(epoch, 9)).Select(e => e.Offset));
        Assert.Equal([8L], feeds.Since("f", max: 1).Select(e => e.Offset));
        Assert.Empty(feeds.Since("f", new(epoch, 10)));
    }

    [Fact]
    public async Task A_subscriber_gets_replayed_events_after_its_position_then_live_ones_with_no_gap_or_repeat()
    {
        var feeds = new InProcessFeeds();
        for (var i = 1; i <= 5; i++) feeds.Publish("f", "e", i.ToString());
        using var subscription = feeds.Subscribe("f", after: new(feeds.Head("f")!.Value.Epoch, 3));
        feeds.Publish("f", "e", "6");
        Assert.Equal(["4", "5", "6"], (await ReadAsync(subscription, 3)).Select(e => e.Data));
        Assert.Equal(1, feeds.SubscriberCount("f"));
    }

    [Fact]
    public async Task A_position_from_another_epoch_gets_the_reset_event_then_the_whole_buffer()
    {
        var feeds = new InProcessFeeds();
        feeds.Publish("f", "e", "1");
        feeds.Publish("f", "e", "2");
        var epoch = feeds.Head("f")!.Value.Epoch;
        // An id a client kept from an earlier run: same numbers, another history.
        using var subscription = feeds.Subscribe("f", after: new("earlierrun", 1));
        var events = await ReadAsync(subscription, 3);
        AssertReset(events[0], "restarted", "earlierrun:1", $"{epoch}:0");
        Assert.Equal(["1", "2"], events.Skip(1).Select(e => e.Data));

        var polled = await feeds.WaitAsync("f", new("earlierrun", 500), Long);
        AssertReset(polled[0], "restarted", "earlierrun:500", $"{epoch}:0");
        Assert.Equal(3, polled.Count);
        // A position ahead of the feed (its history was lost and grew again less far) is another history too.
        AssertReset(feeds.Since("f", new(epoch, 3))[0], "restarted", $"{epoch}:3", $"{epoch}:0");
    }

    [Fact]
    public void A_plain_number_id_is_from_another_history_but_0_means_everything_kept()
    {
        var feeds = new InProcessFeeds();
        for (var i = 1; i <= 3; i++) feeds.Publish("f", "e", i.ToString());
        var fromOld = feeds.Since("f", new("", 2));
        AssertReset(fromOld[0], "restarted", "2", $"{feeds.Head("f")!.Value.Epoch}:0");
        Assert.Equal(["1", "2", "3"], fromOld.Skip(1).Select(e => e.Data));
        Assert.Equal(["1", "2", "3"], feeds.Since("f", FeedPosition.Start).Select(e => e.Data));
    }

    [Fact]
    public async Task A_position_older_than_the_buffer_gets_the_reset_event_then_what_is_kept()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { BufferSize = 3 });
        for (var i = 1; i <= 10; i++) feeds.Publish("f", "e", i.ToString());
        var epoch = feeds.Head("f")!.Value.Epoch;
        using var subscription = feeds.Subscribe("f", after: new(epoch, 4));
        var events = await ReadAsync(subscription, 4);
        AssertReset(events[0], "trimmed", $"{epoch}:4", $"{epoch}:7");
        Assert.Equal(["8", "9", "10"], events.Skip(1).Select(e => e.Data));
        // Resuming from the reset's own id continues without another reset.
        Assert.Equal(["8", "9", "10"], feeds.Since("f", events[0].Position).Select(e => e.Data));
        // The last position the buffer still follows on from is no reset.
        Assert.Equal(["8", "9", "10"], feeds.Since("f", new(epoch, 7)).Select(e => e.Data));
    }

    [Fact]
    public async Task Without_a_position_a_subscriber_gets_the_last_few_events_it_asked_for()
    {
        var feeds = new InProcessFeeds();
        for (var i = 1; i <= 5; i++) feeds.Publish("f", "e", i.ToString());
        using var subscription = feeds.Subscribe("f", replayLast: 2);
        feeds.Publish("f", "e", "6");
        Assert.Equal(["4", "5", "6"], (await ReadAsync(subscription, 3)).Select(e => e.Data));
    }

    [Fact]
    public async Task Disposing_a_subscription_leaves_the_feed_and_ends_its_reader()
    {
        var feeds = new InProcessFeeds();
        var subscription = feeds.Subscribe("f");
        Assert.Equal(1, feeds.SubscriberCount("f"));
        subscription.Dispose();
        Assert.Equal(0, feeds.SubscriberCount("f"));
        Assert.False(await subscription.Events.WaitToReadAsync());
        feeds.Publish("f", "e", "after"); // nobody to deliver to: no error
    }

    [Fact]
    public async Task A_subscriber_that_falls_behind_is_dropped_and_the_others_get_every_event()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { SubscriberQueueSize = 4 });
        using var slow = feeds.Subscribe("f");
        using var fast = feeds.Subscribe("f");
        var received = new List<string>();
        for (var i = 1; i <= 20; i++)
        {
            feeds.Publish("f", "e", i.ToString()); // never waits, whoever is behind
            while (fast.Events.TryRead(out var e)) received.Add(e.Data);
        }
        Assert.Equal(Enumerable.Range(1, 20).Select(i => i.ToString()), received);
        Assert.True(slow.WasDropped);
        Assert.True(slow.Dropped.IsCancellationRequested);
        Assert.False(fast.WasDropped);
        Assert.Equal(1, feeds.SubscriberCount("f"));
        // The slow reader still sees what was queued, then learns why it ends.
        Assert.Equal(["1", "2", "3", "4"], (await ReadAsync(slow, 4)).Select(e => e.Data));
        await Assert.ThrowsAsync<FeedSubscriberDroppedException>(async () => await slow.Events.WaitToReadAsync());
    }

    [Fact]
    public async Task A_long_poll_answers_at_once_when_events_are_waiting_and_wakes_on_the_next_publish()
    {
        var feeds = new InProcessFeeds();
        var first = feeds.Publish("f", "e", "1");
        Assert.Equal(["1"], (await feeds.WaitAsync("f", FeedPosition.Start, Long)).Select(e => e.Data));

        var waiting = feeds.WaitAsync("f", first.Position, Long);
        Assert.False(waiting.IsCompleted);
        feeds.Publish("f", "e", "2");
        Assert.Equal(["2"], (await waiting.WaitAsync(Long)).Select(e => e.Data));
    }

    [Fact]
    public async Task A_long_poll_without_a_position_waits_for_the_next_event()
    {
        var feeds = new InProcessFeeds();
        feeds.Publish("f", "e", "before");
        var waiting = feeds.WaitAsync("f", null, Long);
        Assert.False(waiting.IsCompleted);
        feeds.Publish("f", "e", "next");
        Assert.Equal(["next"], (await waiting.WaitAsync(Long)).Select(e => e.Data));
    }

    [Fact]
    public async Task A_long_poll_with_nothing_new_returns_empty_after_its_timeout()
    {
        var feeds = new InProcessFeeds();
        Assert.Empty(await feeds.WaitAsync("f", FeedPosition.Start, TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task A_long_poll_is_cancelled_with_its_token()
    {
        var feeds = new InProcessFeeds();
        using var cts = new CancellationTokenSource();
        var waiting = feeds.WaitAsync("f", FeedPosition.Start, Long, cancellationToken: cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("a/b")]
    [InlineData("line\nbreak")]
    public async Task Bad_feed_and_event_names_are_refused(string name)
    {
        var feeds = new InProcessFeeds();
        await Assert.ThrowsAsync<ArgumentException>(() => feeds.PublishAsync(name, "e", "x").AsTask());
        if (name.Length > 0) await Assert.ThrowsAsync<ArgumentException>(() => feeds.PublishAsync("ok", name, "x").AsTask());
    }

    [Fact]
    public async Task The_reset_event_name_is_the_feeds_own_and_cannot_be_published()
    {
        var feeds = new InProcessFeeds();
        var e = await Assert.ThrowsAsync<ArgumentException>(() => feeds.PublishAsync("f", FeedHistory.ResetEvent, "x").AsTask());
        Assert.Contains("reserved", e.Message);
        Assert.False(FeedNames.IsPublishable("zones-reset"));
        Assert.True(FeedNames.IsPublishable("zones-resets"));
    }

    [Fact]
    public async Task Declared_feeds_exist_from_the_start_and_the_feed_count_is_bounded()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { Names = ["clock", "news"], MaxFeeds = 3 });
        Assert.True(await feeds.ExistsAsync("clock"));
        Assert.True(await feeds.ExistsAsync("news"));
        Assert.False(await feeds.ExistsAsync("third"));
        await feeds.PublishAsync("third", "e", "x");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => feeds.PublishAsync("fourth", "e", "x").AsTask());
        Assert.Contains("MaxFeeds", e.Message);
        await feeds.PublishAsync("news", "e", "existing feeds still work");
    }

    [Fact]
    public void Bad_feeds_options_are_refused_naming_the_key()
    {
        var e = Assert.Throws<ArgumentException>(() => new InProcessFeeds(new FeedsOptions { BufferSize = 0 }));
        Assert.Contains("Feeds:BufferSize", e.Message);
        Assert.Contains("Feeds:Names", Assert.Throws<ArgumentException>(() => new InProcessFeeds(new FeedsOptions { Names = ["no spaces"] })).Message);
    }

    /// <summary>A reset event as the README documents it: its name, its id (the position that follows) and its JSON data.</summary>
    internal static void AssertReset(FeedEvent e, string reason, string requested, string resumed)
    {
        Assert.Equal(FeedHistory.ResetEvent, e.Name);
        Assert.Equal(resumed, e.Id);
        using var json = JsonDocument.Parse(e.Data);
        Assert.Equal((reason, requested, resumed),
            (json.RootElement.GetProperty("reason").GetString(), json.RootElement.GetProperty("requested").GetString(), json.RootElement.GetProperty("resumed").GetString()));
    }

    private static async Task<List<FeedEvent>> ReadAsync(FeedSubscription subscription, int count)
    {
        using var cts = new CancellationTokenSource(Long);
        var list = new List<FeedEvent>();
        while (list.Count < count) list.Add(await subscription.Events.ReadAsync(cts.Token));
        return list;
    }
}
