using Turn.Protocol;

namespace Turn.Relay.Transports;

/// <summary>Where a relay socket hands each datagram it receives from a peer.</summary>
internal interface IPeerDatagramReceiver
{
    /// <summary>
    /// <paramref name="buffer"/> holds the datagram at <see cref="PeerDatagramLayout.Headroom"/>,
    /// with free room before it (for a ChannelData or Data indication header) and after it (for
    /// padding), so the receiver can frame it without copying. The buffer is only borrowed.
    /// </summary>
    void OnPeerDatagram(Span<byte> buffer, int length, in TransportAddress peer);
}
