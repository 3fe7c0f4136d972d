using Turn.Relay.Allocations;
using Turn.Relay.Seams;

namespace Turn.Relay.State;

/// <summary><see cref="IRelayState"/> over the allocation table: immutable snapshots and the change subscription.</summary>
internal sealed class RelayStateView(AllocationTable table, RelayStateChanges changes, TimeProvider time) : IRelayState
{
    public RelayStateSnapshot GetSnapshot()
    {
        var now = time.GetTimestamp();
        var utcNow = time.GetUtcNow();
        var live = table.All;
        var list = new List<AllocationSnapshot>(live.Count);
        foreach (var allocation in live)
        {
            if (allocation.IsDeleted) continue;
            var permissions = new List<PermissionSnapshot>(allocation.Permissions.Count);
            foreach (var permission in allocation.Permissions.Values)
            {
                if (now < permission.ExpiresAt) permissions.Add(new PermissionSnapshot(permission.PeerIp.ToIPAddress(), time.ToUtc(permission.ExpiresAt, now, utcNow)));
            }
            var channels = new List<ChannelSnapshot>(allocation.ChannelsByNumber.Count);
            foreach (var binding in allocation.ChannelsByNumber.Values)
            {
                if (now < binding.ExpiresAt) channels.Add(new ChannelSnapshot(binding.Number, binding.Peer.ToIPEndPoint(), time.ToUtc(binding.ExpiresAt, now, utcNow)));
            }
            list.Add(new AllocationSnapshot(
                allocation.Id, allocation.Username, allocation.Realm, allocation.Client.RemoteEndPoint, allocation.Transport,
                allocation.RelayedAddress.ToIPEndPoint(), allocation.Created, time.ToUtc(allocation.ExpiresAt, now, utcNow),
                permissions, channels,
                Volatile.Read(ref allocation.BytesFromClient), Volatile.Read(ref allocation.PacketsFromClient),
                Volatile.Read(ref allocation.BytesToClient), Volatile.Read(ref allocation.PacketsToClient)));
        }
        return new RelayStateSnapshot(utcNow, list);
    }

    public IDisposable Subscribe(Action onChanged) => changes.Subscribe(onChanged);
}
