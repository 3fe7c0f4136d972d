using Turn.Protocol;
using Turn.Relay.Transports;

namespace Turn.Relay.Allocations;

/// <summary>
/// An Allocate request's plan, made before the table is touched: whose allocation and the quotas it
/// counts against (keyed on <see cref="Realm"/> and <see cref="QuotaUser"/>, the user part of a TURN REST
/// name, else <see cref="Username"/>; the quotas already capped at the server's); which relay port (the one a RESERVATION-TOKEN holds, or a new one bound on
/// <see cref="Bind"/>, even and with the next port reserved when EVEN-PORT asks) and the address
/// advertised for it; the lifetime, bandwidth limit and signing secret it will be created with; what the user holds
/// on the other nodes of a cluster (<see cref="OtherNodesUserCount"/>, counted against the user quota).
/// </summary>
internal sealed record AllocationPlan(
    FiveTupleKey FiveTuple,
    string Realm,
    string Username,
    int UserQuota,
    int TotalQuota,
    ulong? ReservationToken,
    TransportAddress Bind,
    TransportAddress Advertised,
    bool EvenPort,
    bool ReserveNext,
    TimeSpan Lifetime,
    long MaxBitsPerSecond,
    string? SigningSecretSha256,
    string? QuotaUser = null,
    int OtherNodesUserCount = 0)
{
    /// <summary>Whose quota the allocation counts against within <see cref="Realm"/>.</summary>
    public string QuotaKey => QuotaUser ?? Username;
}
