using Turn.Relay.Allocations;
using Turn.Relay.Requests;
using Turn.Relay.Seams;

namespace Turn.Relay.Methods;

/// <summary>
/// Before an authenticated Allocate is handled: what the user holds on the other nodes of a cluster
/// (<see cref="IClusterUserCounts"/>), put on the context for the table's user-quota check. Asked only when the user
/// quota is limited; the headroom (quota minus this node's count) lets the store answer from memory far from the quota.
/// </summary>
internal sealed class AllocateClusterQuota(AllocationTable table, RelayOptions options, IClusterUserCounts counts)
{
    public async ValueTask LoadAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var quota = AllocatePlanner.EffectiveLimit(context.RealmPolicy.UserQuota ?? context.GlobalPolicy.UserQuota, options.UserQuota);
        if (quota <= 0) return;
        var user = AllocatePlanner.QuotaUser(context);
        var headroom = quota - table.CountFor(context.Realm, user);
        context.OtherNodesUserCount = await counts.CountOnOtherNodesAsync(context.Realm, user, headroom, cancellationToken).ConfigureAwait(false);
    }
}
