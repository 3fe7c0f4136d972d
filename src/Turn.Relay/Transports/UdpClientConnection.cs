using Turn.Protocol;
using Turn.Relay.Seams;

namespace Turn.Relay.Transports;

/// <summary>A UDP client: replies go out of the listener socket it reached, from the address it reached.</summary>
internal sealed class UdpClientConnection(UdpLocalEndpoint endpoint, TransportAddress remote)
    : ClientConnection(RelayTransport.Udp, remote, endpoint.LocalAddress, endpoint.LocalId)
{
    public override bool Send(ReadOnlySpan<byte> message) => endpoint.Send(message, Remote);

    public override void Close()
    {
        // UDP has no connection to close.
    }
}
