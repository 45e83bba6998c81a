using System.Net.WebSockets;
using Zones.Handlers.Feeds;

namespace Zones.Handlers.WebSockets;

/// <summary>
/// A WebSocket view of a feed — the third kind of subscriber beside eventstream and longpoll, so
/// one publish reaches all three. Connect with <c>?feed=NAME</c> (and <c>&amp;after=ID</c> to resume);
/// every event arrives as one text message, the JSON object long-poll uses:
/// <c>{"id":"k3f9a2qx:3","event":"tick","data":"…","time":"…"}</c> (a resume whose events are not all
/// kept gets a zones-reset event first). The socket only listens: what the client
/// sends is ignored (publishing stays with the publish zone and its loopback rule). A client that
/// falls behind the feed is closed with 1008, like any WebSocket that does not read.
/// </summary>
public sealed class FeedEndpoint(IFeeds feeds) : WebSocketEndpoint
{
    private const string SubscriptionKey = "feed.subscription";

    /// <inheritdoc/>
    public override async ValueTask OnConnectedAsync(WebSocketConnection connection)
    {
        var feed = connection.Query("feed");
        bool exists;
        try
        {
            exists = feed is not null && FeedNames.IsValid(feed) && await feeds.ExistsAsync(feed);
        }
        catch (FeedsUnavailableException)
        {
            await connection.CloseAsync((WebSocketCloseStatus)WebSocketCloseCodes.TryAgainLater, "The feeds are unavailable; try again later.");
            return;
        }
        if (!exists)
        {
            await connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, feed is null ? "Name a feed: ?feed=NAME" : "There is no such feed.");
            return;
        }
        FeedPosition? after = FeedPosition.TryParse(connection.Query("after"), out var position) ? position : null;
        var subscription = feeds.Subscribe(feed!, after);
        connection.Items[SubscriptionKey] = subscription;
        _ = ForwardAsync(connection, subscription);
    }

    /// <inheritdoc/>
    public override ValueTask OnClosedAsync(WebSocketConnection connection, WebSocketCloseStatus status, string? description)
    {
        if (connection.Items.TryGetValue(SubscriptionKey, out var s) && s is FeedSubscription subscription) subscription.Dispose();
        return default;
    }

    private static async Task ForwardAsync(WebSocketConnection connection, FeedSubscription subscription)
    {
        try
        {
            await foreach (var e in subscription.ReadAllAsync())
                await connection.SendTextAsync(FeedJson.Event(e));
        }
        catch (FeedSubscriberDroppedException)
        {
            await connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Fell too far behind the feed.");
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The connection went away; OnClosedAsync leaves the feed.
        }
    }
}
