namespace Turn.Relay.Tests.Streams;

/// <summary>
/// Tests that measure the process's managed heap: they run alone, after the parallel ones, or other tests'
/// allocations would be counted as theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    public const string Name = "Memory measurement";
}
