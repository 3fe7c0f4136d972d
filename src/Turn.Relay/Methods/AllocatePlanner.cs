using System.Diagnostics.CodeAnalysis;
using Turn.Protocol;
using Turn.Relay.Allocations;
using Turn.Relay.Auth;
using Turn.Relay.Requests;

namespace Turn.Relay.Methods;

/// <summary>
/// Allocate's second step: the plan for the new allocation, before the table is touched. The
/// relay address for the family asked for, the lifetime (RFC 8656 section 7.2), and the quotas and
/// bandwidth limit: the realm's policy, else the server-wide policy, else Relay options.
/// </summary>
internal sealed class AllocatePlanner(RelayAddressPlanner addresses, RelayOptions options)
{
    /// <summary>False when the server has no relay address of the family asked for.</summary>
    public bool TryPlan(RequestContext context, in StunMessageReader request, in AllocateAttributes attributes,
        [NotNullWhen(true)] out AllocationPlan? plan)
    {
        plan = null;
        TransportAddress bind = default, advertised = default;
        // A RESERVATION-TOKEN brings its socket, bound already.
        if (attributes.ReservationToken is null && !addresses.TryPlan(attributes.Family, context.Connection, out bind, out advertised)) return false;

        var realm = context.RealmPolicy;
        var global = context.GlobalPolicy;
        plan = new AllocationPlan(
            context.Connection.Key,
            context.Realm,
            context.Username,
            UserQuota: realm.UserQuota ?? global.UserQuota ?? options.UserQuota,
            TotalQuota: realm.TotalQuota ?? global.TotalQuota ?? options.TotalQuota,
            attributes.ReservationToken,
            bind,
            advertised,
            attributes.EvenPort,
            attributes.ReserveNext,
            GrantedLifetime.For(request),
            MaxBitsPerSecond: realm.MaxBitsPerSecond ?? global.MaxBitsPerSecond ?? options.MaxBitsPerSecond,
            // Which secret signed a TURN REST credential, so deleting it can end this allocation.
            SigningSecretSha256: context.SigningSecret is { } secret ? SecretFingerprint.Sha256Hex(secret) : null);
        return true;
    }
}
