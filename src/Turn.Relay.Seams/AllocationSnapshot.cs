using System.Net;

namespace Turn.Relay.Seams;

/// <summary>One live allocation as the portal shows it. Counters are totals since creation.</summary>
public sealed record AllocationSnapshot(
    string Id,
    string Username,
    string Realm,
    IPEndPoint ClientAddress,
    RelayTransport Transport,
    IPEndPoint RelayedAddress,
    DateTimeOffset Created,
    DateTimeOffset Expires,
    IReadOnlyList<PermissionSnapshot> Permissions,
    IReadOnlyList<ChannelSnapshot> Channels,
    long BytesFromClient,
    long PacketsFromClient,
    long BytesToClient,
    long PacketsToClient);
