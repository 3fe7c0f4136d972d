namespace Turn.Relay.Diagnostics;

/// <summary>
/// Why an Allocate was refused for quota or capacity: the <c>turn.rejection.reason</c> attribute of
/// <c>turn.quota.rejections</c>, a fixed set so the metric stays bounded.
/// </summary>
internal enum QuotaRejectionReason
{
    /// <summary>The user already holds their quota of allocations (486).</summary>
    UserQuota,

    /// <summary>The realm's total quota is used up (508).</summary>
    TotalQuota,

    /// <summary>The server holds <c>Relay:MaxAllocations</c> allocations (508).</summary>
    ServerCapacity,

    /// <summary>No relay port is free in the range (508).</summary>
    RelayPorts,

    /// <summary>The RESERVATION-TOKEN is unknown or expired (508).</summary>
    ReservationToken,

    /// <summary>The relay is draining and takes no new allocations (508).</summary>
    Draining,
}
