using System.Net;

namespace Turn.Relay.Seams;

/// <summary>A permission (RFC 8656 section 9): a peer IP address the client may exchange data with.</summary>
public sealed record PermissionSnapshot(IPAddress Peer, DateTimeOffset Expires);
