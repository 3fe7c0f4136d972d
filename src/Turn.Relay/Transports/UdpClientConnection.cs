using Turn.Protocol;
using Turn.Relay.Seams;

namespace Turn.Relay.Transports;

/// <summary>A UDP client: replies go out of the listener socket it reached.</summary>
internal sealed class UdpClientConnection(UdpListener listener, TransportAddress remote)
    : ClientConnection(RelayTransport.Udp, remote, listener.LocalAddress, listener.LocalId)
{
    public override bool Send(ReadOnlySpan<byte> message) => listener.SendTo(message, Remote);

    public override void Close()
    {
        // UDP has no connection to close.
    }
}
