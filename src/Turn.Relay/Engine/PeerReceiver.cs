using Turn.Protocol;
using Turn.Relay.Allocations;
using Turn.Relay.Transports;

namespace Turn.Relay.Engine;

/// <summary>Connects one allocation's relay socket to the engine.</summary>
internal sealed class PeerReceiver(RelayEngine engine, Allocation allocation) : IPeerDatagramReceiver
{
    public void OnPeerDatagram(Span<byte> buffer, int length, in TransportAddress peer) =>
        engine.OnPeerDatagram(allocation, buffer, length, peer);
}
