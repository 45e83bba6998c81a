using StackExchange.Redis;
using Zones.Handlers.Feeds;

namespace Zones.Redis;

/// <summary>The feeds' history in Redis: publish (one script: epoch, offset, stream, live message), read a snapshot, ask whether a feed exists.</summary>
internal sealed class RedisStore(RedisConnection connection, RedisFeedKeys keys, FeedsOptions feeds)
{
    public async Task<FeedEvent> PublishAsync(string feed, string eventName, string data, CancellationToken cancellationToken)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        RedisResult result;
        try
        {
            result = await EvaluateAsync(FeedScripts.Publish,
                [keys.Meta(feed), keys.Stream(feed), keys.Names],
                [FeedPosition.NewEpoch(), feeds.BufferSize, eventName, data, time.ToUnixTimeMilliseconds(), keys.FeedChannel(feed), feeds.MaxFeeds, feed],
                cancellationToken);
        }
        catch (FeedsUnavailableException e) when (e.InnerException is RedisServerException { Message: var m } && m.Contains("MAXFEEDS", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"There are already {feeds.MaxFeeds} feeds (Feeds:MaxFeeds); feed \"{feed}\" was not created.");
        }
        var parts = (RedisResult[])result!;
        return new FeedEvent(feed, new FeedPosition((string)parts[0]!, (long)parts[1]), eventName, data, time);
    }

    /// <summary>The history after <paramref name="after"/> (from the start when it belongs to another history), at most <paramref name="count"/> events; 0 reads only the epoch and head.</summary>
    public async Task<HistorySnapshot> ReadAsync(string feed, FeedPosition after, int count, CancellationToken cancellationToken)
    {
        var result = await EvaluateAsync(FeedScripts.Read,
            [keys.Meta(feed), keys.Stream(feed)],
            [FeedPosition.NewEpoch(), after.Epoch, after.Offset, count],
            cancellationToken);
        return HistorySnapshot.Parse(feed, result);
    }

    public async Task<bool> ExistsAsync(string feed, CancellationToken cancellationToken)
    {
        try
        {
            var database = (await connection.GetAsync()).GetDatabase(); // the first connect attempt is bounded by ConnectTimeout
            return await database.SetContainsAsync(keys.Names, feed).WaitAsync(cancellationToken);
        }
        catch (Exception e) when (RedisFailures.IsUnavailable(e))
        {
            throw RedisFailures.Wrap(e);
        }
    }

    private async Task<RedisResult> EvaluateAsync(string script, RedisKey[] scriptKeys, RedisValue[] values, CancellationToken cancellationToken)
    {
        try
        {
            var database = (await connection.GetAsync()).GetDatabase(); // the first connect attempt is bounded by ConnectTimeout
            return await database.ScriptEvaluateAsync(script, scriptKeys, values).WaitAsync(cancellationToken);
        }
        catch (Exception e) when (RedisFailures.IsUnavailable(e))
        {
            throw RedisFailures.Wrap(e);
        }
    }
}
