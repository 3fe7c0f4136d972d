using Turn.Protocol;
using Turn.Relay.Allocations;
using Turn.Relay.Policy;
using Turn.Relay.Requests;
using Turn.Relay.State;

namespace Turn.Relay.Methods;

/// <summary>CreatePermission (RFC 8656 section 9) with one or more XOR-PEER-ADDRESS: all are installed or none.</summary>
internal sealed class CreatePermissionHandler(AllocationTable table, PeerCheck peerCheck, ResponseWriter responses,
    RelayStateChanges changes, TimeProvider time)
{
    private const int MaxPeersPerRequest = 16;

    public void Handle(RequestContext context, in StunMessageReader request)
    {
        if (!table.TryGetLive(context.Connection.Key, out var allocation))
        {
            responses.SendError(context, StunErrorCode.AllocationMismatch, withIntegrity: true);
            return;
        }
        Span<TransportAddress> peers = stackalloc TransportAddress[MaxPeersPerRequest];
        var count = 0;
        foreach (var attribute in request.GetAttributes(StunAttributeType.XorPeerAddress))
        {
            if (!attribute.TryReadXorAddress(request.TransactionIdBytes, out var peer))
            {
                responses.SendError(context, StunErrorCode.BadRequest, "Malformed XOR-PEER-ADDRESS", withIntegrity: true);
                return;
            }
            if (count == peers.Length)
            {
                responses.SendError(context, StunErrorCode.BadRequest, "Too many XOR-PEER-ADDRESS attributes", withIntegrity: true);
                return;
            }
            peers[count++] = peer;
        }
        if (count == 0)
        {
            responses.SendError(context, StunErrorCode.BadRequest, "XOR-PEER-ADDRESS missing", withIntegrity: true);
            return;
        }
        for (var i = 0; i < count; i++)
        {
            if (!peerCheck.Allows(context, allocation, peers[i])) return;
        }
        // A permission on one of the relay's own addresses carries a guard, so Send cannot reach its listener ports;
        // worked out before the lock (it may read the host's addresses).
        var guards = new SelfPeerGuard?[count];
        for (var i = 0; i < count; i++) guards[i] = peerCheck.GuardFor(peers[i]);
        var expires = time.GetTimestamp() + time.Ticks(RelayLifetimes.Permission);
        lock (allocation.Sync)
        {
            var added = 0;
            for (var i = 0; i < count; i++)
            {
                if (!allocation.Permissions.ContainsKey(peers[i].WithPort(0))) added++;
            }
            if (allocation.Permissions.Count + added > Allocation.MaxPermissions)
            {
                responses.SendError(context, StunErrorCode.InsufficientCapacity, "Too many permissions", withIntegrity: true);
                return;
            }
            for (var i = 0; i < count; i++) allocation.InstallPermission(peers[i], expires, guards[i]);
        }
        changes.MarkChanged();
        responses.SendEmptySuccess(context);
    }
}
