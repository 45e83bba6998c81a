using System.Buffers;
using System.Net;
using System.Text;
using Zones.Http;

namespace Zones.Handlers.Feeds;

public sealed class PublishOptions : IZoneOptionsValidation
{
    /// <summary>The feed to publish to; null: the path after the prefix names it (/feeds/news), creating it if new.</summary>
    public string? Feed { get; set; }

    /// <summary>Accept publishes from other machines too. Off: only loopback clients may publish (anyone else gets 403).</summary>
    public bool AllowRemote { get; set; }

    /// <summary>The largest body accepted as an event's data, in bytes.</summary>
    public int MaxDataSize { get; set; } = 64 * 1024;

    public IEnumerable<string> Validate(ZoneInfo zone)
    {
        foreach (var problem in FeedZone.ValidateFeedOption(Feed)) yield return problem;
        if (MaxDataSize < 1) yield return "\"MaxDataSize\" must be at least 1";
    }
}

/// <summary>
/// Publishes the POST body as an event: <c>curl --data-binary 'hello' http://127.0.0.1:8080/feeds/news</c>.
/// The event name comes from <c>?event=</c> (default "message"); the answer is
/// <c>{"feed":"news","id":7}</c>. Only loopback clients may publish unless AllowRemote is set —
/// note that behind a reverse proxy on the same machine every client looks local.
/// </summary>
public sealed class PublishHandler(PublishOptions options, IFeeds feeds) : IZoneHandler
{
    public async ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        var request = context.Request;
        var feed = FeedZone.FeedOf(context, options.Feed);
        if (feed is null) return ZoneResult.Pass;
        if (request.Method != HttpMethods.Post) return ZoneResult.Respond(ZoneResponse.MethodNotAllowed("POST"));
        if (!options.AllowRemote && !IsLoopback(request.RemoteEndPoint))
            return ZoneResult.Respond(ZoneResponse.ForStatus(403, "Publishing is allowed from this machine only (set \"AllowRemote\": true on the zone to change that)."));

        var eventName = request.Query["event"] ?? FeedEvent.DefaultName;
        if (!FeedNames.IsValid(eventName))
            return ZoneResult.Respond(ZoneResponse.ForStatus(400, $"\"event\" must be 1 to {FeedNames.MaxLength} letters, digits, '.', '_', '-' or '~'."));
        var data = await ReadDataAsync(request, context.RequestAborted);
        if (data is null)
            return ZoneResult.Respond(ZoneResponse.ForStatus(413, $"The event data is larger than {options.MaxDataSize} bytes."));

        FeedEvent published;
        try
        {
            published = feeds.Publish(feed, eventName, data);
        }
        catch (InvalidOperationException e)
        {
            return ZoneResult.Respond(ZoneResponse.ForStatus(507, e.Message));
        }
        var json = $"{{\"feed\":\"{published.Feed}\",\"id\":{published.Id}}}\n"; // both are plain names and digits: nothing to escape
        return ZoneResult.Respond(ZoneResponse.Text(json, "application/json"));
    }

    private static bool IsLoopback(IPEndPoint? remote)
    {
        if (remote is null) return false;
        var address = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
        return IPAddress.IsLoopback(address);
    }

    /// <summary>The body as UTF-8 text, or null when it is larger than MaxDataSize.</summary>
    private async Task<string?> ReadDataAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > options.MaxDataSize) return null;
        var buffer = ArrayPool<byte>.Shared.Rent(options.MaxDataSize + 1);
        try
        {
            var length = 0;
            int n;
            while ((n = await request.Body.ReadAsync(buffer.AsMemory(length, options.MaxDataSize + 1 - length), cancellationToken)) > 0)
            {
                length += n;
                if (length > options.MaxDataSize) return null;
            }
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
