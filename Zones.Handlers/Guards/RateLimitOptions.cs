namespace Zones.Handlers.Guards;

/// <summary>The algorithms of System.Threading.RateLimiting that ratelimit offers.</summary>
public enum RateLimitAlgorithm
{
    /// <summary>PermitLimit requests per Window, the count starting over at each window's end.</summary>
    FixedWindow,
    /// <summary>PermitLimit requests in any Window, which moves on in SegmentsPerWindow steps: no burst at a window's edge.</summary>
    SlidingWindow,
    /// <summary>A bucket of PermitLimit requests, refilled by TokensPerPeriod every Window: bursts up to the bucket, then a steady rate.</summary>
    TokenBucket,
}

/// <summary>Whose requests count together.</summary>
public enum RateLimitBy
{
    /// <summary>The client's IP address (an IPv6 client by its /64, which one machine usually holds whole).</summary>
    Address,
    /// <summary>The user a basicauth or bearer zone before this one checked; the address for requests without one.</summary>
    User,
}

/// <summary>The ratelimit zone's options (the zone's keys in zones.json beside Prefix and Handler).</summary>
public sealed class RateLimitOptions : IZoneOptionsValidation
{
    /// <summary>How requests are counted: FixedWindow (the default), SlidingWindow or TokenBucket.</summary>
    public RateLimitAlgorithm Algorithm { get; set; } = RateLimitAlgorithm.FixedWindow;

    /// <summary>Requests allowed per window (the bucket's size for TokenBucket).</summary>
    public int PermitLimit { get; set; }

    /// <summary>The window (TokenBucket: how often TokensPerPeriod are added).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>SlidingWindow: the steps the window moves in.</summary>
    public int SegmentsPerWindow { get; set; } = 4;

    /// <summary>TokenBucket: tokens added every Window; 0: PermitLimit.</summary>
    public int TokensPerPeriod { get; set; }

    /// <summary>Whose requests share a limit: each client address (the default), or each user a guard zone before this one checked.</summary>
    public RateLimitBy PartitionBy { get; set; } = RateLimitBy.Address;

    /// <summary>Clients tracked at once; past it, newcomers share one limit until idle clients are forgotten.</summary>
    public int MaxClients { get; set; } = 10_000;

    /// <inheritdoc/>
    public IEnumerable<string> Validate(ZoneInfo zone)
    {
        if (PermitLimit < 1) yield return "ratelimit needs \"PermitLimit\" (requests per \"Window\"), at least 1, e.g. \"PermitLimit\": 60, \"Window\": \"00:01:00\"";
        if (Window < TimeSpan.FromMilliseconds(100) || Window > TimeSpan.FromDays(1))
            yield return $"\"Window\" {Window} must lie between 00:00:00.1 and 1.00:00:00";
        if (Algorithm == RateLimitAlgorithm.SlidingWindow && SegmentsPerWindow is < 1 or > 100)
            yield return $"\"SegmentsPerWindow\" {SegmentsPerWindow} must be 1 to 100";
        if (TokensPerPeriod < 0) yield return $"\"TokensPerPeriod\" {TokensPerPeriod} cannot be negative (0 means PermitLimit)";
        if (MaxClients is < 1 or > 10_000_000) yield return $"\"MaxClients\" {MaxClients} must be 1 to 10000000";
    }
}
