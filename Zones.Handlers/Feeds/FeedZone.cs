using Zones.Http;

namespace Zones.Handlers.Feeds;

/// <summary>
/// How the feed handlers find their feed: the zone's "Feed" option (the zone answers only its own
/// path), or else the path segment after the prefix (<c>/events/news</c> → "news").
/// </summary>
internal static class FeedZone
{
    /// <summary>The feed this request names, or null when the path is not one this zone answers.</summary>
    public static string? FeedOf(ZoneContext context, string? configured)
    {
        var suffix = context.Suffix;
        if (configured is not null) return suffix is "" or "/" ? configured : null;
        var name = suffix.TrimStart('/');
        return FeedNames.IsValid(name) ? name : null;
    }

    public static IEnumerable<string> ValidateFeedOption(string? feed)
    {
        if (feed is not null && !FeedNames.IsValid(feed))
            yield return $"\"Feed\" \"{feed}\" is not a valid feed name: use 1 to {FeedNames.MaxLength} letters, digits, '.', '_', '-' or '~' (or leave it out to take the feed from the path)";
    }

    public static ZoneResult NoSuchFeed(string name) =>
        ZoneResult.Respond(ZoneResponse.ForStatus(404, $"There is no feed \"{name}\"."));

    /// <summary>404 for a feed that does not exist, 503 when the backend cannot say; null when it exists.</summary>
    public static async ValueTask<ZoneResult?> CheckExistsAsync(IFeeds feeds, string feed, CancellationToken cancellationToken)
    {
        try
        {
            return await feeds.ExistsAsync(feed, cancellationToken) ? null : NoSuchFeed(feed);
        }
        catch (FeedsUnavailableException e)
        {
            return Unavailable(e);
        }
    }

    /// <summary>503 with Retry-After and the backend's reason: the store is down, the client may try again.</summary>
    public static ZoneResult Unavailable(FeedsUnavailableException e) =>
        ZoneResult.Respond(ZoneResponse.ForStatus(503, e.Message).WithHeader(HeaderNames.RetryAfter, "1"));
}
