using System.Net;
using Zones.Http;

namespace Zones.Handlers.Feeds;

/// <summary>
/// Publishes the POST body as an event: <c>curl --data-binary 'hello' http://127.0.0.1:8080/feeds/news</c>.
/// The event name comes from <c>?event=</c> (default "message"); the answer is
/// <c>{"feed":"news","id":"k3f9a2qx:7"}</c> once the backend has stored it; 503 while it cannot. Only loopback clients may publish unless AllowRemote is set —
/// note that behind a reverse proxy on the same machine every client looks local.
/// </summary>
public sealed class PublishHandler(PublishOptions options, IFeeds feeds) : IZoneHandler
{
    /// <inheritdoc/>
    public async ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        var request = context.Request;
        var feed = FeedZone.FeedOf(context, options.Feed);
        if (feed is null) return ZoneResult.Pass;
        if (request.Method != HttpMethods.Post) return ZoneResult.Respond(ZoneResponse.MethodNotAllowed("POST"));
        if (!options.AllowRemote && !IsLoopback(request.RemoteEndPoint))
            return Refuse(403, "Publishing is allowed from this machine only (set \"AllowRemote\": true on the zone to change that).");

        var eventName = request.Query["event"] ?? FeedEvent.DefaultName;
        if (!FeedNames.IsValid(eventName))
            return Refuse(400, $"\"event\" must be 1 to {FeedNames.MaxLength} letters, digits, '.', '_', '-' or '~'.");
        if (!FeedNames.IsPublishable(eventName))
            return Refuse(400, $"\"event\" may not be \"{FeedHistory.ResetEvent}\": the feeds send that one themselves.");
        if (await EventData.ReadAsync(request, options.MaxDataSize, context.RequestAborted) is not { } data)
            return Refuse(413, $"The event data is larger than {options.MaxDataSize} bytes.");

        FeedEvent published;
        try
        {
            published = await feeds.PublishAsync(feed, eventName, data, context.RequestAborted);
        }
        catch (InvalidOperationException e)
        {
            return Refuse(507, e.Message); // more feeds than MaxFeeds
        }
        catch (FeedsUnavailableException e)
        {
            return FeedZone.Unavailable(e);
        }
        var json = $"{{\"feed\":\"{published.Feed}\",\"id\":\"{published.Id}\"}}\n"; // a feed name and a position: nothing to escape
        return ZoneResult.Respond(ZoneResponse.Text(json, "application/json"));
    }

    private static ZoneResult Refuse(int status, string reason) => ZoneResult.Respond(ZoneResponse.ForStatus(status, reason));

    private static bool IsLoopback(IPEndPoint? remote) =>
        remote is not null && IPAddress.IsLoopback(remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address);
}
