using System.Buffers.Binary;
using Turn.Protocol;
using Turn.Relay.Allocations;
using Turn.Relay.Diagnostics;
using Turn.Relay.Transports;

namespace Turn.Relay.DataPath;

/// <summary>
/// The relay data path (RFC 8656 sections 11 and 12): ChannelData and Send indications from
/// clients to peers, peer datagrams to clients as ChannelData or Data indications framed in place.
/// It runs for every packet, so it takes no lock, logs nothing and allocates nothing; each
/// allocation counter has one writer, the receive loop of its direction.
/// </summary>
internal sealed class RelayDataPath(AllocationTable table, RelayTrafficLedger totals, TimeProvider time)
{
    /// <summary>A ChannelData message from a client (RFC 8656 section 12.6).</summary>
    public void OnChannelData(in FiveTupleKey fiveTuple, ReadOnlySpan<byte> packet)
    {
        if (table.TryGet(fiveTuple, out var allocation)) RelayChannelDataToPeer(allocation, packet);
        else totals.CountDroppedUnknown();
    }

    /// <summary>A Send indication from a client (RFC 8656 section 10.2); none from a 5-tuple without an allocation.</summary>
    public void OnSendIndication(in FiveTupleKey fiveTuple, in StunMessageReader message)
    {
        if (table.TryGet(fiveTuple, out var sender)) RelaySendIndication(sender, message);
    }

    /// <summary>A datagram from a peer, at <see cref="PeerDatagramLayout.Headroom"/> in <paramref name="buffer"/>.</summary>
    public void OnPeerDatagram(Allocation allocation, Span<byte> buffer, int length, in TransportAddress peer)
    {
        var now = time.GetTimestamp();
        // RFC 8656 section 11.3 / 12.7: only peers with a permission reach the client.
        if (!IsLive(allocation, now) || !HasPermission(allocation, peer, now))
        {
            allocation.DroppedToClient++;
            return;
        }
        if (allocation.ToClientLimit is { } limit && !limit.TryTake(length, now))
        {
            allocation.DroppedToClient++;
            return;
        }
        ReadOnlySpan<byte> framed;
        if (allocation.ChannelsByPeer.TryGetValue(peer, out var binding) && now < binding.ExpiresAt)
        {
            var start = PeerDatagramLayout.Headroom - ChannelData.HeaderLength;
            // Stream connections pad ChannelData themselves as they queue it.
            ChannelData.TryWriteHeader(buffer[start..], binding.Number, length, padToFour: false, out var written);
            framed = buffer.Slice(start, written);
        }
        else
        {
            framed = WriteDataIndication(buffer, length, peer);
        }
        if (framed.IsEmpty || !allocation.Client.Send(framed))
        {
            allocation.DroppedToClient++;
            return;
        }
        allocation.PacketsToClient++;
        allocation.BytesToClient += length;
    }

    private void RelaySendIndication(Allocation allocation, in StunMessageReader message)
    {
        // RFC 8656 section 10.2: no XOR-PEER-ADDRESS or DATA, or no permission: silently discard.
        if (!message.TryGetXorAddress(StunAttributeType.XorPeerAddress, out var peer)
            || !message.TryGetValue(StunAttributeType.Data, out var data))
        {
            allocation.DroppedFromClient++;
            return;
        }
        var now = time.GetTimestamp();
        // A permission on one of the relay's own addresses does not reach its listener ports (issue 13).
        if (!IsLive(allocation, now) || !allocation.Permissions.TryGetValue(peer.WithPort(0), out var permission)
            || now >= permission.ExpiresAt || !permission.AllowsPort(peer.Port))
        {
            allocation.DroppedFromClient++;
            return;
        }
        SendToPeer(allocation, data, peer, now);
    }

    private void RelayChannelDataToPeer(Allocation allocation, ReadOnlySpan<byte> packet)
    {
        if (ChannelData.TryParse(packet, out var number, out var data) != ChannelDataParseError.None)
        {
            allocation.DroppedFromClient++;
            return;
        }
        var now = time.GetTimestamp();
        // RFC 8656 section 12.6: an unbound (or expired) channel is silently discarded.
        if (!IsLive(allocation, now)
            || !allocation.ChannelsByNumber.TryGetValue(number, out var binding)
            || now >= binding.ExpiresAt
            || !HasPermission(allocation, binding.Peer, now))
        {
            allocation.DroppedFromClient++;
            return;
        }
        SendToPeer(allocation, data, binding.Peer, now);
    }

    private static void SendToPeer(Allocation allocation, ReadOnlySpan<byte> data, in TransportAddress peer, long now)
    {
        if (allocation.ToPeerLimit is { } limit && !limit.TryTake(data.Length, now))
        {
            allocation.DroppedFromClient++;
            return;
        }
        if (!allocation.Socket.SendTo(data, peer))
        {
            allocation.DroppedFromClient++;
            return;
        }
        allocation.PacketsFromClient++;
        allocation.BytesFromClient += data.Length;
    }

    // Builds a Data indication (RFC 8656 section 11.3) around the payload in place.
    private static ReadOnlySpan<byte> WriteDataIndication(Span<byte> buffer, int length, TransportAddress peer)
    {
        var addressLength = peer.IsIPv4 ? 8 : 20;
        var headerLength = StunConstants.HeaderLength + StunConstants.AttributeHeaderLength + addressLength + StunConstants.AttributeHeaderLength;
        var start = PeerDatagramLayout.Headroom - headerLength;
        var writer = new StunMessageWriter(buffer.Slice(start, headerLength - StunConstants.AttributeHeaderLength));
        writer.WriteHeader(StunMethod.Data, StunClass.Indication, DataIndicationIds.Next());
        writer.WriteXorAddress(StunAttributeType.XorPeerAddress, peer);
        if (writer.HasFailed) return default;
        var dataHeader = buffer.Slice(PeerDatagramLayout.Headroom - StunConstants.AttributeHeaderLength, StunConstants.AttributeHeaderLength);
        BinaryPrimitives.WriteUInt16BigEndian(dataHeader, (ushort)StunAttributeType.Data);
        BinaryPrimitives.WriteUInt16BigEndian(dataHeader[2..], (ushort)length);
        var padded = (length + 3) & ~3;
        buffer.Slice(PeerDatagramLayout.Headroom + length, padded - length).Clear();
        var total = headerLength + padded;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[(start + 2)..], (ushort)(total - StunConstants.HeaderLength));
        return buffer.Slice(start, total);
    }

    private static bool IsLive(Allocation allocation, long now) => !allocation.IsDeleted && now < allocation.ExpiresAt;

    private static bool HasPermission(Allocation allocation, in TransportAddress peer, long now) =>
        allocation.Permissions.TryGetValue(peer.WithPort(0), out var permission) && now < permission.ExpiresAt;
}
