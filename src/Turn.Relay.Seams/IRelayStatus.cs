using System.Net;

namespace Turn.Relay.Seams;

/// <summary>
/// What the running relay reports about itself: the addresses it listens on, whether it can take clients, and how
/// much it has relayed. For readiness checks, vended TURN URLs and the portal's live totals; read per request or per
/// tick, never per packet.
/// </summary>
public interface IRelayStatus
{
    /// <summary>Bound UDP listener addresses (with the port the OS picked when Relay:Port is 0); empty before start and after stop.</summary>
    IReadOnlyList<IPEndPoint> UdpEndPoints { get; }

    /// <summary>Bound plain TCP listener addresses (same port as UDP); empty before start and after stop.</summary>
    IReadOnlyList<IPEndPoint> TcpEndPoints { get; }

    /// <summary>Bound TLS listener addresses; always empty when Relay:TlsPort is 0 (TLS off).</summary>
    IReadOnlyList<IPEndPoint> TlsEndPoints { get; }

    /// <summary>
    /// True while at least one UDP and one TCP listener are bound, the least a TURN client needs (TLS is optional).
    /// Says nothing about draining: see <see cref="IRelayControl.IsDraining"/>.
    /// </summary>
    bool IsListening { get; }

    /// <summary>
    /// True while no new allocation fits: Relay:MaxAllocations is reached or no relay port is left. The same test the
    /// engine's 300 redirect uses, so what the node registry calls full is what clients meet.
    /// </summary>
    bool IsFull { get; }

    /// <summary>
    /// Bytes and packets relayed since the relay started, per client transport and direction, ended allocations
    /// included, so the figures only grow. Sums over the live allocations: call once per tick, not per row.
    /// </summary>
    RelayTrafficTotals GetTrafficTotals();
}
