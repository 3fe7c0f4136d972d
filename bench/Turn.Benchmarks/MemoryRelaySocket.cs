using Turn.Protocol;
using Turn.Relay.Transports;

namespace Turn.Benchmarks;

/// <summary>A relay socket that counts datagrams to peers and hands peer datagrams to the engine.</summary>
internal sealed class MemoryRelaySocket(TransportAddress local) : IRelaySocket
{
    private IPeerDatagramReceiver? _receiver;

    public TransportAddress LocalAddress { get; } = local;

    public long Sent;

    public bool SendTo(ReadOnlySpan<byte> datagram, in TransportAddress peer)
    {
        Sent++;
        return true;
    }

    public bool TrySetDontFragment(bool value) => true;

    public void Start(IPeerDatagramReceiver receiver) => _receiver = receiver;

    /// <summary>A peer datagram of <paramref name="length"/> bytes already at the layout's headroom.</summary>
    public void Deliver(byte[] buffer, int length, in TransportAddress peer) =>
        (_receiver ?? throw new InvalidOperationException("Relay socket not started.")).OnPeerDatagram(buffer, length, peer);

    public void Dispose()
    {
        // Nothing to release.
    }
}
