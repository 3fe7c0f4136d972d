using Turn.Protocol;

namespace Turn.Relay.Policy;

/// <summary>
/// Refuses peers on the relay's own addresses (<see cref="RelaySelfAddresses"/>) at the ports that would bounce traffic
/// back into the relay: its listener ports, and relay ports (Relay:MinPort..MaxPort) that no allocation or reservation
/// holds. A relay port that a live allocation holds stays reachable, because that is how two clients of one relay reach
/// each other (both on relay candidates, the usual case for WebRTC through TURN). Other ports on own addresses are left
/// to the peer policy (loopback ones are refused unless Relay:AllowLoopbackPeers).
/// Checked at ChannelBind (the port is known) and, for a permission on an own address, on each Send indication (one
/// field read for every other permission); never for ChannelData, whose peer was checked when the channel was bound.
/// </summary>
internal sealed class SelfPeerGuard(RelaySelfAddresses self, int minRelayPort, int maxRelayPort, Func<int, bool> relayPortInUse)
{
    /// <summary>True when the peer's address is one of the relay's own (so its port must be checked).</summary>
    public bool IsOwnAddress(in TransportAddress peer)
    {
        Span<byte> bytes = stackalloc byte[16];
        var bits = IpAddressBits.FromBytes(bytes[..peer.WriteAddressBytes(bytes)]).Canonical();
        if (!Nat64Address.IsLocalUse(bits)) return self.IsOwnAddress(bits);
        Span<uint> candidates = stackalloc uint[Nat64Address.CandidateCount];
        var count = Nat64Address.LocalUseCandidates(bits, candidates);
        for (var i = 0; i < count; i++)
        {
            if (self.IsOwnAddress(new IpAddressBits(true, candidates[i]))) return true;
        }
        return false;
    }

    /// <summary>True when a datagram to this port of an own address would reach the relay itself.</summary>
    public bool RefusesPort(int port) =>
        self.IsListenerPort(port) || (port >= minRelayPort && port <= maxRelayPort && !relayPortInUse(port));

    /// <summary>As <see cref="RefusesPort"/> for a Send indication: reads the last snapshot only (no lock, no allocation).</summary>
    public bool RefusesPortOnDataPath(int port) =>
        self.WasListenerPort(port) || (port >= minRelayPort && port <= maxRelayPort && !relayPortInUse(port));

    /// <summary>True when the peer is an own address at a refused port.</summary>
    public bool Refuses(in TransportAddress peer) => IsOwnAddress(peer) && RefusesPort(peer.Port);
}
