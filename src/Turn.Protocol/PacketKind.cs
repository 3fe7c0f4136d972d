namespace Turn.Protocol;

/// <summary>What a datagram or stream frame carries, told from its first bytes (RFC 8656 section 12).</summary>
public enum PacketKind
{
    /// <summary>Neither STUN nor ChannelData: drop it (UDP) or close the connection (TCP/TLS).</summary>
    Unknown = 0,
    Stun,
    ChannelData,
}
