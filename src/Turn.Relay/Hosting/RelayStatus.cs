using System.Net;
using Turn.Relay.Diagnostics;
using Turn.Relay.Engine;
using Turn.Relay.Seams;

namespace Turn.Relay.Hosting;

/// <summary>
/// <see cref="IRelayStatus"/> over the running relay: listener addresses from <see cref="RelayHostedService"/>, traffic
/// totals from the same source the relay meter's observable counters read (live plus ended allocations).
/// </summary>
internal sealed class RelayStatus(RelayHostedService listeners, RelayEngine engine) : IRelayStatus
{
    public IReadOnlyList<IPEndPoint> UdpEndPoints => listeners.UdpEndPoints;

    public IReadOnlyList<IPEndPoint> TcpEndPoints => listeners.TcpEndPoints;

    public IReadOnlyList<IPEndPoint> TlsEndPoints => listeners.TlsEndPoints;

    public bool IsListening => listeners.UdpEndPoints.Count > 0 && listeners.TcpEndPoints.Count > 0;

    public bool IsFull => engine.IsFull;

    public RelayTrafficTotals GetTrafficTotals()
    {
        var totals = engine.ComputeTotals();
        return new RelayTrafficTotals(Counts(totals, RelayTransport.Udp), Counts(totals, RelayTransport.Tcp), Counts(totals, RelayTransport.Tls))
        {
            Allocations = new RelayAllocationCounts((int)totals.ByTransport[(int)RelayTransport.Udp].Allocations,
                (int)totals.ByTransport[(int)RelayTransport.Tcp].Allocations, (int)totals.ByTransport[(int)RelayTransport.Tls].Allocations),
        };
    }

    private static RelayTrafficCounts Counts(RelayTotals totals, RelayTransport transport)
    {
        var t = totals.ByTransport[(int)transport];
        return new RelayTrafficCounts(t.BytesToPeer, t.BytesToClient, t.PacketsToPeer, t.PacketsToClient);
    }
}
