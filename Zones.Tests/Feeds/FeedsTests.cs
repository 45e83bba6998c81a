using Zones.Handlers.Feeds;

namespace Zones.Tests.Feeds;

/// <summary>The in-process feeds: ids, the replay buffer, cursors, long-poll waits and slow subscribers.</summary>
public sealed class FeedsTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    [Fact]
    public void Each_feed_numbers_its_events_from_one()
    {
        var feeds = new InProcessFeeds();
        Assert.Equal(1, feeds.Publish("a", "x", "1").Id);
        Assert.Equal(2, feeds.Publish("a", "x", "2").Id);
        Assert.Equal(1, feeds.Publish("b", "", "1").Id);
        Assert.Equal("message", feeds.Since("b", 0)[0].Name);
        Assert.Equal(2, feeds.LastId("a"));
        Assert.Equal(0, feeds.LastId("missing"));
        Assert.Equal(["a", "b"], feeds.Names.Order());
    }

    [Fact]
    public void The_replay_buffer_keeps_only_the_latest_events()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { BufferSize = 3 });
        for (var i = 1; i <= 10; i++) feeds.Publish("f", "e", i.ToString());
        Assert.Equal([8L, 9L, 10L], feeds.Since("f", 0).Select(e => e.Id));
        Assert.Equal([10L], feeds.Since("f", 9).Select(e => e.Id));
        Assert.Equal([8L], feeds.Since("f", 0, max: 1).Select(e => e.Id));
        Assert.Empty(feeds.Since("f", 10));
    }

    [Fact]
    public async Task A_subscriber_gets_replayed_events_after_its_cursor_then_live_ones_with_no_gap_or_repeat()
    {
        var feeds = new InProcessFeeds();
        for (var i = 1; i <= 5; i++) feeds.Publish("f", "e", i.ToString());
        using var subscription = feeds.Subscribe("f", after: 3);
        feeds.Publish("f", "e", "6");
        Assert.Equal(["4", "5", "6"], await ReadAsync(subscription, 3));
        Assert.Equal(1, feeds.SubscriberCount("f"));
    }

    [Fact]
    public async Task An_id_from_before_a_restart_replays_the_whole_buffer()
    {
        var feeds = new InProcessFeeds();
        feeds.Publish("f", "e", "1");
        feeds.Publish("f", "e", "2");
        using var subscription = feeds.Subscribe("f", after: 500);
        Assert.Equal(["1", "2"], await ReadAsync(subscription, 2));
        Assert.Equal(2, (await feeds.WaitAsync("f", 500, Long)).Count);
    }

    [Fact]
    public async Task Without_a_cursor_a_subscriber_gets_the_last_few_events_it_asked_for()
    {
        var feeds = new InProcessFeeds();
        for (var i = 1; i <= 5; i++) feeds.Publish("f", "e", i.ToString());
        using var subscription = feeds.Subscribe("f", replayLast: 2);
        feeds.Publish("f", "e", "6");
        Assert.Equal(["4", "5", "6"], await ReadAsync(subscription, 3));
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
        Assert.Equal(["1", "2", "3", "4"], await ReadAsync(slow, 4));
        await Assert.ThrowsAsync<FeedSubscriberDroppedException>(async () => await slow.Events.WaitToReadAsync());
    }

    [Fact]
    public async Task A_long_poll_answers_at_once_when_events_are_waiting_and_wakes_on_the_next_publish()
    {
        var feeds = new InProcessFeeds();
        feeds.Publish("f", "e", "1");
        Assert.Equal(["1"], (await feeds.WaitAsync("f", 0, Long)).Select(e => e.Data));

        var waiting = feeds.WaitAsync("f", 1, Long);
        Assert.False(waiting.IsCompleted);
        feeds.Publish("f", "e", "2");
        Assert.Equal(["2"], (await waiting.WaitAsync(Long)).Select(e => e.Data));
    }

    [Fact]
    public async Task A_long_poll_with_nothing_new_returns_empty_after_its_timeout()
    {
        var feeds = new InProcessFeeds();
        Assert.Empty(await feeds.WaitAsync("f", 0, TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task A_long_poll_is_cancelled_with_its_token()
    {
        var feeds = new InProcessFeeds();
        using var cts = new CancellationTokenSource();
        var waiting = feeds.WaitAsync("f", 0, Long, cancellationToken: cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("a/b")]
    [InlineData("line\nbreak")]
    public void Bad_feed_and_event_names_are_refused(string name)
    {
        var feeds = new InProcessFeeds();
        Assert.Throws<ArgumentException>(() => feeds.Publish(name, "e", "x"));
        if (name.Length > 0) Assert.Throws<ArgumentException>(() => feeds.Publish("ok", name, "x"));
    }

    [Fact]
    public void Declared_feeds_exist_from_the_start_and_the_feed_count_is_bounded()
    {
        var feeds = new InProcessFeeds(new FeedsOptions { Names = ["clock", "news"], MaxFeeds = 3 });
        Assert.True(feeds.Exists("clock"));
        Assert.True(feeds.Exists("news"));
        feeds.Publish("third", "e", "x");
        var e = Assert.Throws<InvalidOperationException>(() => feeds.Publish("fourth", "e", "x"));
        Assert.Contains("MaxFeeds", e.Message);
        feeds.Publish("news", "e", "existing feeds still work");
    }

    private static async Task<List<string>> ReadAsync(FeedSubscription subscription, int count)
    {
        using var cts = new CancellationTokenSource(Long);
        var list = new List<string>();
        while (list.Count < count) list.Add((await subscription.Events.ReadAsync(cts.Token)).Data);
        return list;
    }
}
