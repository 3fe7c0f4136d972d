using System.Collections.Concurrent;
using Turn.Relay.Allocations;
using Turn.Relay.Requests;
using Turn.Relay.Seams;

namespace Turn.Relay.Methods;

/// <summary>
/// Before an authenticated Allocate is handled: what the user holds on the other nodes of a cluster
/// (<see cref="IClusterUserCounts"/>), put on the context for the table's user-quota check. Asked only when the user
/// quota is limited. The count this node passes includes the user's Allocates ahead of this one that are still being
/// answered here, so a burst on one node is not judged as if each request were the first.
/// </summary>
internal sealed class AllocateClusterQuota(AllocationTable table, RelayOptions options, IClusterUserCounts counts)
{
    private readonly ConcurrentDictionary<(string Realm, string User), int> _inFlight = new();

    public async ValueTask LoadAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var quota = AllocatePlanner.EffectiveLimit(context.RealmPolicy.UserQuota ?? context.GlobalPolicy.UserQuota, options.UserQuota);
        if (quota <= 0) return;
        var key = (context.Realm, AllocatePlanner.QuotaUser(context));
        var ahead = _inFlight.AddOrUpdate(key, 1, (_, n) => n + 1) - 1;
        context.ClusterQuotaKey = key;
        context.OtherNodesUserCount = await counts.CountOnOtherNodesAsync(key.Realm, key.Item2, table.CountFor(key.Realm, key.Item2) + ahead, quota,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>After the Allocate was answered (whatever the answer): it is no longer ahead of the user's next.</summary>
    public void Settle(RequestContext context)
    {
        if (context.ClusterQuotaKey is not { } key) return;
        context.ClusterQuotaKey = null;
        while (_inFlight.TryGetValue(key, out var n))
        {
            if (n <= 1 ? _inFlight.TryRemove(new KeyValuePair<(string, string), int>(key, n)) : _inFlight.TryUpdate(key, n - 1, n)) return;
        }
    }
}
