using Turn.Protocol;

namespace Turn.Relay.Transports.Linux;

/// <summary>A UDP socket served by a <see cref="SocketEventLoop"/>: it gets each datagram on the loop's thread.</summary>
internal interface IDatagramEventTarget
{
    /// <summary>
    /// One datagram at <see cref="PeerDatagramLayout.Headroom"/> in <paramref name="buffer"/> (with
    /// the layout's head- and tailroom around it). The buffer is only borrowed for the call.
    /// <paramref name="to"/> is the local address it was sent to (port 0) on a socket that asked for
    /// IP_PKTINFO, else default.
    /// </summary>
    void OnDatagram(Span<byte> buffer, int length, in TransportAddress from, in TransportAddress to);
}
