using Turn.Protocol;
using Turn.Relay.Allocations;
using Turn.Relay.Transports;

namespace Turn.Relay.DataPath;

/// <summary>Connects one allocation's relay socket to the data path.</summary>
internal sealed class PeerReceiver(RelayDataPath dataPath, Allocation allocation) : IPeerDatagramReceiver
{
    public void OnPeerDatagram(Span<byte> buffer, int length, in TransportAddress peer) =>
        dataPath.OnPeerDatagram(allocation, buffer, length, peer);
}
