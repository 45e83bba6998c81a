using System.Diagnostics.Metrics;

namespace Zones.Handlers.Guards;

/// <summary>
/// The ratelimit zones' counters on the "Zones.Guards" meter, tagged with the zone's prefix:
/// <c>zones.ratelimit.allowed</c> and <c>zones.ratelimit.rejected</c>
/// (<c>dotnet-counters monitor -n Zones.Host --counters Zones.Guards</c>).
/// </summary>
internal static class RateLimitMetrics
{
    public const string MeterName = "Zones.Guards";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Allowed = Meter.CreateCounter<long>("zones.ratelimit.allowed", "{request}", "Requests a ratelimit zone let through");
    private static readonly Counter<long> Rejected = Meter.CreateCounter<long>("zones.ratelimit.rejected", "{request}", "Requests a ratelimit zone answered 429");

    public static void Count(bool allowed, string zone)
    {
        var tag = new KeyValuePair<string, object?>("zone", zone);
        if (allowed) Allowed.Add(1, tag);
        else Rejected.Add(1, tag);
    }
}
