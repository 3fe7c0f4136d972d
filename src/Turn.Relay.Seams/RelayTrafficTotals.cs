namespace Turn.Relay.Seams;

/// <summary>Relayed traffic per client transport (the transport of the allocation's 5-tuple), from <see cref="IRelayStatus"/>.</summary>
public sealed record RelayTrafficTotals(RelayTrafficCounts Udp, RelayTrafficCounts Tcp, RelayTrafficCounts Tls)
{
    /// <summary>Nothing relayed yet.</summary>
    public static readonly RelayTrafficTotals Zero = new(default, default, default);

    /// <summary>Summed over every transport.</summary>
    public RelayTrafficCounts All => Udp + Tcp + Tls;

    /// <summary>Live allocations per client transport when the totals were taken (counted in the same pass).</summary>
    public RelayAllocationCounts Allocations { get; init; }

    public RelayTrafficCounts For(RelayTransport transport) => transport switch
    {
        RelayTransport.Udp => Udp,
        RelayTransport.Tcp => Tcp,
        RelayTransport.Tls => Tls,
        _ => throw new ArgumentOutOfRangeException(nameof(transport), transport, "Not a relay transport."),
    };
}
