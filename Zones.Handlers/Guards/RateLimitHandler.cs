using System.Globalization;
using System.Threading.RateLimiting;
using Zones.Http;

namespace Zones.Handlers.Guards;

/// <summary>
/// Limits how fast each client — by address, or by the user a guard before it checked — may
/// send requests into the zones after it, with System.Threading.RateLimiting's fixed-window,
/// sliding-window or token-bucket limiter per client (<see cref="ClientLimiters"/>, bounded in
/// memory). Over the limit: 429 with Retry-After, in whole seconds, from the limiter's own
/// estimate. Counted on the Zones.Guards meter (<see cref="RateLimitMetrics"/>).
/// </summary>
public sealed class RateLimitHandler : IZoneHandler
{
    private readonly RateLimitOptions _options;
    private readonly ClientLimiters _clients;
    private readonly string _zone;

    /// <summary>The ratelimit handler of one zone, with its own limiters; the registry makes it from zones.json.</summary>
    /// <param name="options">The zone's options, validated.</param>
    /// <param name="zone">Where the zone sits.</param>
    public RateLimitHandler(RateLimitOptions options, ZoneInfo zone)
    {
        _options = options;
        _zone = zone.Prefix;
        _clients = new ClientLimiters(() => Create(options), options.MaxClients);
    }

    /// <summary>Clients tracked now (for tests).</summary>
    internal int TrackedClients => _clients.Count;

    /// <inheritdoc/>
    public ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        using var lease = _clients.Acquire(ClientKey.Of(context.State, _options.PartitionBy));
        RateLimitMetrics.Count(lease.IsAcquired, _zone);
        if (lease.IsAcquired) return ZoneResult.Pass;
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : _options.Window;
        var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
        var response = ZoneResponse.ForStatus(429, $"Too many requests: try again in {seconds} s.")
            .WithHeader(HeaderNames.RetryAfter, seconds.ToString(CultureInfo.InvariantCulture));
        return ZoneResult.Respond(response);
    }

    /// <summary>A limiter for one client. Not replenishing itself: <see cref="ClientLimiters"/>' heartbeat does it for all, with one timer.</summary>
    private static ReplenishingRateLimiter Create(RateLimitOptions o) => o.Algorithm switch
    {
        RateLimitAlgorithm.SlidingWindow => new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = o.PermitLimit, Window = o.Window, SegmentsPerWindow = o.SegmentsPerWindow, QueueLimit = 0, AutoReplenishment = false,
        }),
        RateLimitAlgorithm.TokenBucket => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = o.PermitLimit, TokensPerPeriod = o.TokensPerPeriod > 0 ? o.TokensPerPeriod : o.PermitLimit, ReplenishmentPeriod = o.Window,
            QueueLimit = 0, AutoReplenishment = false,
        }),
        _ => new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = o.PermitLimit, Window = o.Window, QueueLimit = 0, AutoReplenishment = false,
        }),
    };
}
