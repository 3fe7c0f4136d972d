using Turn.Protocol;

namespace Turn.Relay.Transports;

/// <summary>
/// Identifies a client's 5-tuple (RFC 8656 section 2.2) as a plain value: the client's address
/// plus the local endpoint it reached (one UDP listener, or one TCP/TLS connection) by a small id.
/// </summary>
internal readonly record struct FiveTupleKey(TransportAddress Client, int LocalId);
