using System.Buffers;
using Turn.Protocol;
using Turn.Relay.Allocations;
using Turn.Relay.Seams;

namespace Turn.Relay.Engine;

internal sealed partial class RelayEngine
{
    private bool TryGetAllocation(RequestContext context, out Allocation allocation)
    {
        if (_byFiveTuple.TryGetValue(context.Connection.Key, out allocation!) && !allocation.IsDeleted) return true;
        SendError(context, 437, "Allocation Mismatch", withIntegrity: true);
        return false;
    }

    // RFC 8656 section 8: Refresh.
    private void HandleRefresh(RequestContext context, in StunMessageReader request)
    {
        if (!TryGetAllocation(context, out var allocation)) return;
        // REQUESTED-ADDRESS-FAMILY in a Refresh must match the allocation's family (443).
        if (request.TryGetAttribute(StunAttributeType.RequestedAddressFamily, out var familyAttribute)
            && (!familyAttribute.TryReadAddressFamily(out var family) || family != allocation.RelayedAddress.Family))
        {
            SendError(context, 443, "Peer Address Family Mismatch", withIntegrity: true);
            return;
        }
        uint granted;
        if (request.TryGetUInt32(StunAttributeType.Lifetime, out var requested) && requested == 0)
        {
            Delete(allocation, "refresh lifetime 0");
            granted = 0;
        }
        else
        {
            var lifetime = DesiredLifetime(request);
            allocation.ExpiresAt = _time.GetTimestamp() + Ticks(lifetime);
            granted = (uint)lifetime.TotalSeconds;
            Interlocked.Increment(ref _stateVersion);
            Raise(RelayEventKind.AllocationRefreshed, allocation, context, null);
        }
        var buffer = ArrayPool<byte>.Shared.Rent(ResponseBufferSize);
        try
        {
            var writer = StartResponse(buffer, context, StunClass.SuccessResponse);
            writer.WriteLifetime(granted);
            Finish(ref writer, context, withIntegrity: true, 0);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // RFC 8656 section 9: CreatePermission with one or more XOR-PEER-ADDRESS; all or none.
    private void HandleCreatePermission(RequestContext context, in StunMessageReader request)
    {
        if (!TryGetAllocation(context, out var allocation)) return;
        Span<TransportAddress> peers = stackalloc TransportAddress[16];
        var count = 0;
        foreach (var attribute in request.GetAttributes(StunAttributeType.XorPeerAddress))
        {
            if (!attribute.TryReadXorAddress(request.TransactionIdBytes, out var peer))
            {
                SendError(context, 400, "Malformed XOR-PEER-ADDRESS", withIntegrity: true);
                return;
            }
            if (count == peers.Length)
            {
                SendError(context, 400, "Too many XOR-PEER-ADDRESS attributes", withIntegrity: true);
                return;
            }
            peers[count++] = peer;
        }
        if (count == 0)
        {
            SendError(context, 400, "XOR-PEER-ADDRESS missing", withIntegrity: true);
            return;
        }
        for (var i = 0; i < count; i++)
        {
            if (!CheckPeer(context, allocation, peers[i])) return;
        }
        var expires = _time.GetTimestamp() + Ticks(RelayLifetimes.Permission);
        lock (allocation.Sync)
        {
            var added = 0;
            for (var i = 0; i < count; i++)
            {
                if (!allocation.Permissions.ContainsKey(peers[i].WithPort(0))) added++;
            }
            if (allocation.Permissions.Count + added > MaxPermissionsPerAllocation)
            {
                SendError(context, 508, "Too many permissions", withIntegrity: true);
                return;
            }
            for (var i = 0; i < count; i++) InstallPermission(allocation, peers[i], expires);
        }
        Interlocked.Increment(ref _stateVersion);
        SendEmptySuccess(context);
    }

    // RFC 8656 section 11.2: ChannelBind.
    private void HandleChannelBind(RequestContext context, in StunMessageReader request)
    {
        if (!TryGetAllocation(context, out var allocation)) return;
        if (!request.TryGetAttribute(StunAttributeType.ChannelNumber, out var channelAttribute)
            || !channelAttribute.TryReadChannelNumber(out var number)
            || !ChannelData.IsValidChannelNumber(number, _options.AllowRfc5766ChannelNumbers))
        {
            SendError(context, 400, "CHANNEL-NUMBER missing or out of range", withIntegrity: true);
            return;
        }
        if (!request.TryGetXorAddress(StunAttributeType.XorPeerAddress, out var peer))
        {
            SendError(context, 400, "XOR-PEER-ADDRESS missing or malformed", withIntegrity: true);
            return;
        }
        if (!CheckPeer(context, allocation, peer)) return;
        var now = _time.GetTimestamp();
        lock (allocation.Sync)
        {
            // The number may not be bound to another peer, nor the peer to another number, even
            // during the 5 minutes after a binding expires (RFC 8656 section 12).
            if (allocation.ChannelsByNumber.TryGetValue(number, out var byNumber) && byNumber.Peer != peer)
            {
                SendError(context, 400, "Channel number bound to another peer", withIntegrity: true);
                return;
            }
            if (allocation.ChannelsByPeer.TryGetValue(peer, out var byPeer) && byPeer.Number != number)
            {
                SendError(context, 400, "Peer bound to another channel", withIntegrity: true);
                return;
            }
            var expires = now + Ticks(RelayLifetimes.Channel);
            if (byNumber is not null)
            {
                byNumber.ExpiresAt = expires;
            }
            else
            {
                if (allocation.Permissions.Count >= MaxPermissionsPerAllocation && !allocation.Permissions.ContainsKey(peer.WithPort(0)))
                {
                    SendError(context, 508, "Too many permissions", withIntegrity: true);
                    return;
                }
                var binding = new ChannelBinding(number, peer, expires);
                allocation.ChannelsByPeer[peer] = binding;
                allocation.ChannelsByNumber[number] = binding;
            }
            // A binding installs or refreshes the peer's permission too.
            InstallPermission(allocation, peer, now + Ticks(RelayLifetimes.Permission));
        }
        Interlocked.Increment(ref _stateVersion);
        SendEmptySuccess(context);
    }

    // Policy (403) and family (443) checks shared by CreatePermission and ChannelBind.
    private bool CheckPeer(RequestContext context, Allocation allocation, in TransportAddress peer)
    {
        // Policy first: a forbidden peer gets 403 whatever its family (::ffff:127.0.0.1 included).
        if (!_peerPolicy.IsAllowed(peer.ToIPAddress(), context.RealmPolicy, context.GlobalPolicy))
        {
            _metrics.RecordPeerRejection(context.Connection.Transport);
            Raise(RelayEventKind.PeerRejected, allocation, context, peer.ToIPAddress().ToString());
            SendError(context, 403, "Forbidden", withIntegrity: true);
            return false;
        }
        if (peer.Family != allocation.RelayedAddress.Family)
        {
            SendError(context, 443, "Peer Address Family Mismatch", withIntegrity: true);
            return false;
        }
        return true;
    }

    private static void InstallPermission(Allocation allocation, in TransportAddress peer, long expires)
    {
        var key = peer.WithPort(0);
        if (allocation.Permissions.TryGetValue(key, out var permission)) permission.ExpiresAt = expires;
        else allocation.Permissions[key] = new Permission(key, expires);
    }

    private void SendEmptySuccess(RequestContext context)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ResponseBufferSize);
        try
        {
            var writer = StartResponse(buffer, context, StunClass.SuccessResponse);
            Finish(ref writer, context, withIntegrity: true, 0);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
