namespace Admin.Data.Cluster;

/// <summary>
/// One <c>turnstone serve</c> node in the registry (<c>turnstone_node</c>): what it advertises and its latest
/// heartbeat. Written only by the node itself (<see cref="NodeRegistry"/>), read by every node.
/// </summary>
public sealed class ClusterNode
{
    /// <summary>The node's name (<c>Usage:Node</c>, machine name by default).</summary>
    public string Name { get; set; } = "";

    /// <summary>TURN over UDP, "ip:port" as advertised (Relay:ExternalAddress if set, else the bound addresses).</summary>
    public List<string> UdpAddresses { get; set; } = [];

    public List<string> TcpAddresses { get; set; } = [];

    public List<string> TlsAddresses { get; set; } = [];

    /// <summary>Where the other nodes reach its internal endpoint; null when clustering is off there.</summary>
    public string? InternalUrl { get; set; }

    public string Version { get; set; } = "";

    public DateTimeOffset StartedAt { get; set; }

    /// <summary>Set from the database's clock, so nodes' clocks never need to agree.</summary>
    public DateTimeOffset HeartbeatAt { get; set; }

    public bool Draining { get; set; }

    /// <summary>At Relay:MaxAllocations: it refuses new allocations.</summary>
    public bool Full { get; set; }

    public int Allocations { get; set; }

    public double BitsPerSecondIn { get; set; }

    public double BitsPerSecondOut { get; set; }

    /// <summary>Earliest NotAfter of the TURNS certificates it presents; null when TLS is off.</summary>
    public DateTimeOffset? CertificateExpiry { get; set; }
}
