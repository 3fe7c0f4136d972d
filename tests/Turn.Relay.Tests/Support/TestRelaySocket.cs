using System.Collections.Concurrent;
using Turn.Protocol;
using Turn.Relay.Transports;

namespace Turn.Relay.Tests.Support;

internal sealed class TestRelaySocket(TransportAddress local, TestRelaySocketFactory factory) : IRelaySocket
{
    private IPeerDatagramReceiver? _receiver;

    public TransportAddress LocalAddress { get; } = local;

    public ConcurrentQueue<(TransportAddress Peer, byte[] Data)> SentToPeers { get; } = new();

    public bool Disposed { get; private set; }

    /// <summary>False to count nothing and copy nothing (allocation measurements).</summary>
    public bool Record { get; set; } = true;

    public bool DontFragment { get; private set; }

    public bool SendTo(ReadOnlySpan<byte> datagram, in TransportAddress peer)
    {
        if (Disposed) return false;
        if (Record) SentToPeers.Enqueue((peer, datagram.ToArray()));
        return true;
    }

    public bool TrySetDontFragment(bool value)
    {
        DontFragment = value;
        return true;
    }

    public void Start(IPeerDatagramReceiver receiver) => _receiver = receiver;

    /// <summary>A peer sends <paramref name="payload"/> to this relayed address.</summary>
    public void Deliver(TransportAddress peer, byte[] payload)
    {
        var buffer = new byte[PeerDatagramLayout.BufferSize];
        payload.CopyTo(buffer, PeerDatagramLayout.Headroom);
        _receiver!.OnPeerDatagram(buffer, payload.Length, peer);
    }

    /// <summary>Delivers <paramref name="length"/> bytes already laid out in a caller-owned buffer (no copy).</summary>
    public void Deliver(TransportAddress peer, byte[] buffer, int length) => _receiver!.OnPeerDatagram(buffer, length, peer);

    public void Dispose()
    {
        Disposed = true;
        factory.Bound.TryRemove(new(LocalAddress.Port, this));
    }
}
