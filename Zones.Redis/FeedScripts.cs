
namespace Zones.Redis;

/// <summary>
/// The two Lua scripts that make a feed one history across instances. Redis runs a script
/// atomically, so the epoch, the offset, the stream and the live message always agree: no two
/// instances can give out the same position, and a reader sees the history as of one moment.
/// </summary>
internal static class FeedScripts
{
    /// <summary>
    /// KEYS: meta, stream, names. ARGV: a new epoch (used only when the feed has none), buffer
    /// size, event name, data, time (Unix ms), channel, max feeds, feed name.
    /// Returns { epoch, offset }, or the error MAXFEEDS.
    /// </summary>
    public const string Publish = """
        if redis.call('SISMEMBER', KEYS[3], ARGV[8]) == 0 then
          if redis.call('SCARD', KEYS[3]) >= tonumber(ARGV[7]) then return redis.error_reply('MAXFEEDS') end
          redis.call('SADD', KEYS[3], ARGV[8])
        end
        """ + "\n" + Epoch + "\n" + """
        local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
        redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '0-' .. offset, 'n', ARGV[3], 'd', ARGV[4], 't', ARGV[5])
        redis.call('PUBLISH', ARGV[6], epoch .. '\n' .. offset .. '\n' .. ARGV[3] .. '\n' .. ARGV[5] .. '\n' .. ARGV[4])
        return { epoch, offset }
        """;

    /// <summary>
    /// KEYS: meta, stream. ARGV: a new epoch (used only when the feed has none: its history was
    /// lost, and readers must learn so now), the reader's epoch, its offset, how many events to read.
    /// Reads after the reader's offset when it is a position in this history, else from the start.
    /// Returns { epoch, head offset, entries }.
    /// </summary>
    public const string Read = Epoch + "\n" + """
        local head = tonumber(redis.call('HGET', KEYS[1], 'offset') or '0')
        local from = 0
        if ARGV[2] == epoch and tonumber(ARGV[3]) <= head then from = tonumber(ARGV[3]) end
        local entries = {}
        if tonumber(ARGV[4]) > 0 then
          entries = redis.call('XRANGE', KEYS[2], '0-' .. string.format('%d', from + 1), '+', 'COUNT', ARGV[4])
        end
        return { epoch, head, entries }
        """;

    /// <summary>
    /// Both scripts begin a feed's history the same way: the feed's epoch into <c>epoch</c>; a feed
    /// without one (new, or Redis lost it) gets ARGV[1] and an empty stream, so no stale entry
    /// outlives the history it belonged to.
    /// </summary>
    private const string Epoch = """
        local epoch = redis.call('HGET', KEYS[1], 'epoch')
        if not epoch then
          epoch = ARGV[1]
          redis.call('HSET', KEYS[1], 'epoch', epoch)
          redis.call('DEL', KEYS[2])
        end
        """;
}
