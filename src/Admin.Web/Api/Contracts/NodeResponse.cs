namespace Admin.Web.Api.Contracts;

/// <summary>
/// One node of the cluster as the registry has it (GET /api/v1/nodes). <paramref name="State"/> is "up" or "down"
/// (down: its heartbeat is older than Cluster:NodeDownAfter); <paramref name="Self"/> marks the node answering.
/// Bit rates are the node's relayed traffic over its last heartbeat; <paramref name="CertificateExpiry"/> is the earliest
/// NotAfter of its TURNS certificates (null when TLS is off).
/// </summary>
public sealed record NodeResponse(
    string Name,
    string State,
    string Version,
    DateTimeOffset StartedAt,
    DateTimeOffset HeartbeatAt,
    bool Draining,
    bool Full,
    int Allocations,
    double BitsPerSecondIn,
    double BitsPerSecondOut,
    DateTimeOffset? CertificateExpiry,
    bool Self,
    NodeTurnAddresses Turn);

/// <summary>The TURN addresses a node advertises per transport, "ip:port" ("[ip]:port" for IPv6).</summary>
public sealed record NodeTurnAddresses(IReadOnlyList<string> Udp, IReadOnlyList<string> Tcp, IReadOnlyList<string> Tls);
