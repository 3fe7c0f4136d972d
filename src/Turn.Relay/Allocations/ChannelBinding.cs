using Turn.Protocol;

namespace Turn.Relay.Allocations;

/// <summary>
/// A channel number bound to a peer transport address (RFC 8656 section 12). After it expires it
/// stays in the tables for <see cref="RelayLifetimes.ChannelQuarantine"/>, unusable for data, so
/// neither the number nor the peer can be rebound elsewhere too soon.
/// </summary>
internal sealed class ChannelBinding(ushort number, TransportAddress peer, long expiresAt)
{
    private long _expiresAt = expiresAt;

    public ushort Number { get; } = number;

    public TransportAddress Peer { get; } = peer;

    public long ExpiresAt
    {
        get => Volatile.Read(ref _expiresAt);
        set => Volatile.Write(ref _expiresAt, value);
    }
}
