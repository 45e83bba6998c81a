using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Bench.Alloc;

/// <summary>The runtime's allocation samples (GCAllocationTick, about one per 100 KB allocated), summed by type.</summary>
internal sealed class AllocationSamples : EventListener
{
    private readonly ConcurrentDictionary<string, long> _bytes = new();

    public volatile bool On;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!On || e.EventName != "GCAllocationTick_V4" || e.Payload is null || e.PayloadNames is null) return;
        var type = e.Payload[e.PayloadNames.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("AllocationAmount64")], System.Globalization.CultureInfo.InvariantCulture);
        _bytes.AddOrUpdate(type, amount, (_, total) => total + amount);
    }

    public IEnumerable<(string Type, double Share)> TopShares(int count)
    {
        var total = Math.Max(1, _bytes.Values.Sum());
        return _bytes.OrderByDescending(p => p.Value).Take(count).Select(p => (p.Key, p.Value * 100.0 / total));
    }
}
