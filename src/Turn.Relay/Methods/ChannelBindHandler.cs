using Turn.Protocol;
using Turn.Relay.Allocations;
using Turn.Relay.Requests;
using Turn.Relay.State;

namespace Turn.Relay.Methods;

/// <summary>ChannelBind (RFC 8656 section 11.2): binds or refreshes a channel number for a peer, and its permission.</summary>
internal sealed class ChannelBindHandler(AllocationTable table, PeerCheck peerCheck, ResponseWriter responses,
    RelayStateChanges changes, TimeProvider time, bool allowRfc5766ChannelNumbers)
{
    public void Handle(RequestContext context, in StunMessageReader request)
    {
        if (!table.TryGetLive(context.Connection.Key, out var allocation))
        {
            responses.SendError(context, StunErrorCode.AllocationMismatch, withIntegrity: true);
            return;
        }
        if (!request.TryGetAttribute(StunAttributeType.ChannelNumber, out var channelAttribute)
            || !channelAttribute.TryReadChannelNumber(out var number)
            || !ChannelData.IsValidChannelNumber(number, allowRfc5766ChannelNumbers))
        {
            responses.SendError(context, StunErrorCode.BadRequest, "CHANNEL-NUMBER missing or out of range", withIntegrity: true);
            return;
        }
        if (!request.TryGetXorAddress(StunAttributeType.XorPeerAddress, out var peer))
        {
            responses.SendError(context, StunErrorCode.BadRequest, "XOR-PEER-ADDRESS missing or malformed", withIntegrity: true);
            return;
        }
        if (!peerCheck.Allows(context, allocation, peer, checkPort: true)) return;
        var guard = peerCheck.GuardFor(peer);
        var now = time.GetTimestamp();
        lock (allocation.Sync)
        {
            // The number may not be bound to another peer, nor the peer to another number, even
            // during the 5 minutes after a binding expires (RFC 8656 section 12).
            if (allocation.ChannelsByNumber.TryGetValue(number, out var byNumber) && byNumber.Peer != peer)
            {
                responses.SendError(context, StunErrorCode.BadRequest, "Channel number bound to another peer", withIntegrity: true);
                return;
            }
            if (allocation.ChannelsByPeer.TryGetValue(peer, out var byPeer) && byPeer.Number != number)
            {
                responses.SendError(context, StunErrorCode.BadRequest, "Peer bound to another channel", withIntegrity: true);
                return;
            }
            var expires = now + time.Ticks(RelayLifetimes.Channel);
            if (byNumber is not null)
            {
                byNumber.ExpiresAt = expires;
            }
            else
            {
                if (allocation.Permissions.Count >= Allocation.MaxPermissions && !allocation.Permissions.ContainsKey(peer.WithPort(0)))
                {
                    responses.SendError(context, StunErrorCode.InsufficientCapacity, "Too many permissions", withIntegrity: true);
                    return;
                }
                var binding = new ChannelBinding(number, peer, expires);
                allocation.ChannelsByPeer[peer] = binding;
                allocation.ChannelsByNumber[number] = binding;
                allocation.NoteEntryExpiry(expires);
            }
            // A binding installs or refreshes the peer's permission too.
            allocation.InstallPermission(peer, now + time.Ticks(RelayLifetimes.Permission), guard);
        }
        changes.MarkChanged();
        responses.SendEmptySuccess(context);
    }
}
