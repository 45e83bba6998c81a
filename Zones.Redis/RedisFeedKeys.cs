using StackExchange.Redis;

namespace Zones.Redis;

/// <summary>
/// The names Zones uses in Redis, all under the prefix. A feed's keys share a hash tag
/// (<c>{news}</c>) so its publish script touches one slot.
/// </summary>
internal sealed class RedisFeedKeys(string prefix)
{
    /// <summary>A set of every feed published to (on any instance): how an instance knows a feed another created.</summary>
    public RedisKey Names { get; } = prefix + "feeds";

    /// <summary>A hash: the feed's <c>epoch</c> and latest <c>offset</c>.</summary>
    public RedisKey Meta(string feed) => $"{prefix}feed:{{{feed}}}:meta";

    /// <summary>A stream of the feed's last events, entry ids <c>0-OFFSET</c>.</summary>
    public RedisKey Stream(string feed) => $"{prefix}feed:{{{feed}}}:events";

    /// <summary>The pub/sub channel live events of the feed go out on.</summary>
    public string FeedChannel(string feed) => $"{prefix}feed:{{{feed}}}";

    /// <summary>The pub/sub channel of a WebSocket hub group.</summary>
    public RedisChannel GroupChannel(string group) => RedisChannel.Literal($"{prefix}group:{group}");
}
