namespace Zones.Tests.Infrastructure;

/// <summary>
/// Tests that measure the whole process's allocations or heap run alone, after the parallel ones:
/// other tests running at the same time would add to what they count.
/// </summary>
[CollectionDefinition(nameof(AllocationSensitive), DisableParallelization = true)]
public sealed class AllocationSensitive;
