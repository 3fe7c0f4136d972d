namespace Admin.Web.Api.Contracts;

/// <summary>
/// One live allocation, as of the relay's last per-second snapshot. Counters are totals since it was created; the bit
/// rates are over the last second. <paramref name="Transport"/> is udp, tcp or tls; addresses are "ip:port" ("[ip]:port" for IPv6).
/// <paramref name="Node"/> is the cluster node holding it (address it as DELETE /api/v1/sessions/{node}/{id}).
/// </summary>
public sealed record SessionResponse(
    string Id,
    string Realm,
    string User,
    string Transport,
    string Client,
    string Relayed,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    IReadOnlyList<SessionPermission> Permissions,
    IReadOnlyList<SessionChannel> Channels,
    long BytesFromClient,
    long PacketsFromClient,
    long BytesToClient,
    long PacketsToClient,
    double BitsPerSecondIn,
    double BitsPerSecondOut,
    string Node = "");

/// <summary>A peer IP address the client may exchange data with, until <paramref name="ExpiresAt"/>.</summary>
public sealed record SessionPermission(string Peer, DateTimeOffset ExpiresAt);

/// <summary>A channel number bound to a peer address.</summary>
public sealed record SessionChannel(int Number, string Peer, DateTimeOffset ExpiresAt);

/// <summary>How many allocations a termination ended, and whether its audit row was written (false while PostgreSQL is away).</summary>
/// <paramref name="Nodes"/> counts per node for a user's allocations ended across the cluster (null for one allocation).
public sealed record TerminationResponse(int Terminated, bool Audited, IReadOnlyDictionary<string, int>? Nodes = null);
