namespace Turn.Relay.Allocations;

/// <summary>Why <see cref="AllocationTable.TryAdd"/> added nothing.</summary>
internal enum AllocationRefusal
{
    None,

    /// <summary>The client 5-tuple already has an allocation (437).</summary>
    FiveTupleInUse,

    /// <summary>The user holds their quota of allocations (486).</summary>
    UserQuota,

    /// <summary>The realm's total quota is used up (508).</summary>
    TotalQuota,

    /// <summary>The server holds <c>Relay:MaxAllocations</c> allocations (508).</summary>
    ServerCapacity,

    /// <summary>The RESERVATION-TOKEN names no reserved port (508).</summary>
    ReservationToken,

    /// <summary>No relay port is free in the range (508).</summary>
    RelayPorts,
}
