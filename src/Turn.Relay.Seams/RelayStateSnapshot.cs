namespace Turn.Relay.Seams;

/// <summary>Live allocations at <see cref="TakenAt"/>.</summary>
public sealed record RelayStateSnapshot(DateTimeOffset TakenAt, IReadOnlyList<AllocationSnapshot> Allocations)
{
    public static RelayStateSnapshot Empty(DateTimeOffset at) => new(at, []);
}
