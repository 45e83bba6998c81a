using StackExchange.Redis;

namespace Zones.Redis;

/// <summary>The "Feeds:Redis" section of zones.json: where the shared feeds and rooms live.</summary>
public sealed class RedisFeedsOptions
{
    /// <summary>A StackExchange.Redis configuration string: <c>"127.0.0.1:6379"</c>, <c>"redis.internal:6379,password=…,ssl=true"</c>.</summary>
    public string Configuration { get; set; } = "";

    /// <summary>Starts every key and channel, so several sites (or tests) can share one Redis.</summary>
    public string Prefix { get; set; } = "zones:";

    /// <summary>
    /// How often each instance compares its subscribers' positions with the feeds' latest in Redis,
    /// so an event whose live message was lost (a network blip, a reconnect) still arrives, read
    /// from the stream, within about two of these.
    /// </summary>
    public TimeSpan PositionCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>What is wrong with these options, as "Feeds:Redis:Key …" sentences naming the fix; none when they are good.</summary>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Configuration))
            yield return "Feeds:Redis:Configuration is empty; give the Redis to share, e.g. \"127.0.0.1:6379\" (a StackExchange.Redis configuration string)";
        else
        {
            string? problem = null;
            try { ConfigurationOptions.Parse(Configuration); }
            catch (Exception e) when (e is ArgumentException or FormatException or NotSupportedException) { problem = e.Message; }
            if (problem is not null) yield return $"Feeds:Redis:Configuration \"{Configuration}\" is not a StackExchange.Redis configuration string ({problem}); write it like \"127.0.0.1:6379\"";
        }
        if (Prefix.Length > 64 || Prefix.Any(c => char.IsControl(c) || c is ' ' or '{' or '}'))
            yield return $"Feeds:Redis:Prefix \"{Prefix}\" must be at most 64 characters without spaces, braces or control characters, e.g. \"zones:\"";
        if (PositionCheckInterval < TimeSpan.FromMilliseconds(50) || PositionCheckInterval > TimeSpan.FromMinutes(1))
            yield return "Feeds:Redis:PositionCheckInterval must be from 00:00:00.050 to 00:01:00, e.g. \"00:00:01\"";
    }
}
