namespace Turn.Relay.Requests;

/// <summary>
/// A response kept for retransmissions (RFC 8489 section 6.3.1: a request retransmitted within
/// ~40 s gets the same answer). <see cref="Bytes"/> is null while the first copy is in progress,
/// so a retransmission arriving meanwhile is dropped rather than processed twice.
/// </summary>
internal sealed class CachedResponse(long expiresAt)
{
    public byte[]? Bytes { get; set; }

    public long ExpiresAt { get; set; } = expiresAt;
}
