using Turn.Protocol;
using Turn.Relay.Policy;

namespace Turn.Relay.Allocations;

/// <summary>
/// A permission for one peer IP address (RFC 8656 section 9); the port is ignored, except on one of the relay's own
/// addresses, where <see cref="Guard"/> refuses the ports that lead back into the relay.
/// </summary>
internal sealed class Permission(TransportAddress peerIp, long expiresAt)
{
    private long _expiresAt = expiresAt;
    private SelfPeerGuard? _guard;

    /// <summary>The peer's address with port 0.</summary>
    public TransportAddress PeerIp { get; } = peerIp;

    /// <summary>A <see cref="TimeProvider.GetTimestamp"/> value; read on the data path.</summary>
    public long ExpiresAt
    {
        get => Volatile.Read(ref _expiresAt);
        set => Volatile.Write(ref _expiresAt, value);
    }

    /// <summary>Set when the peer is one of the relay's own addresses; null for every other peer. Read on the data path.</summary>
    public SelfPeerGuard? Guard
    {
        get => Volatile.Read(ref _guard);
        set => Volatile.Write(ref _guard, value);
    }

    /// <summary>False when a Send indication to this port must be dropped (one field read unless the peer is the relay's own address).</summary>
    public bool AllowsPort(int port) => Guard is not { } guard || !guard.RefusesPortOnDataPath(port);
}
