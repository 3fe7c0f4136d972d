namespace Admin.Data.Cluster;

/// <summary>What this node writes at each heartbeat (the registry row minus the times the database sets).</summary>
public sealed record NodeHeartbeat(
    string Name,
    IReadOnlyList<string> Udp,
    IReadOnlyList<string> Tcp,
    IReadOnlyList<string> Tls,
    string? InternalUrl,
    string Version,
    DateTimeOffset StartedAt,
    bool Draining,
    bool Full,
    int Allocations,
    double BitsPerSecondIn,
    double BitsPerSecondOut,
    DateTimeOffset? CertificateExpiry);
