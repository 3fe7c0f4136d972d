using Turn.Protocol;

namespace Turn.Relay.Allocations;

/// <summary>A permission for one peer IP address (RFC 8656 section 9); the port is ignored.</summary>
internal sealed class Permission(TransportAddress peerIp, long expiresAt)
{
    private long _expiresAt = expiresAt;

    /// <summary>The peer's address with port 0.</summary>
    public TransportAddress PeerIp { get; } = peerIp;

    /// <summary>A <see cref="TimeProvider.GetTimestamp"/> value; read on the data path.</summary>
    public long ExpiresAt
    {
        get => Volatile.Read(ref _expiresAt);
        set => Volatile.Write(ref _expiresAt, value);
    }
}
