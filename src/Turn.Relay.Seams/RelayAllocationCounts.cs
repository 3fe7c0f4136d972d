namespace Turn.Relay.Seams;

/// <summary>Live allocations per client transport, from <see cref="IRelayStatus.GetTrafficTotals"/>.</summary>
public readonly record struct RelayAllocationCounts(int Udp, int Tcp, int Tls)
{
    public int All => Udp + Tcp + Tls;
}
