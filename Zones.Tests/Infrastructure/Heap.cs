namespace Zones.Tests.Infrastructure;

/// <summary>
/// The managed heap after full collections, for tests that check nothing piles up. It counts the
/// whole process, so such a test belongs to the <see cref="AllocationSensitive"/> collection:
/// a test running beside it would add what it holds (a 10 MiB download, a thousand log entries).
/// </summary>
public static class Heap
{
    public static long AfterCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
