namespace Turn.Relay.Transports;

/// <summary>Buffer layout for peer datagrams so framing them for the client needs no copy.</summary>
internal static class PeerDatagramLayout
{
    /// <summary>
    /// Room before the payload: a Data indication header (20) + XOR-PEER-ADDRESS for IPv6 (4 + 20)
    /// + DATA attribute header (4) = 48; ChannelData needs 4.
    /// </summary>
    public const int Headroom = 48;

    /// <summary>Room after the payload for 4-byte alignment padding.</summary>
    public const int Tailroom = 4;

    /// <summary>
    /// The largest peer datagram relayed; larger ones are dropped and counted. Bounded so a relay
    /// socket's buffer stays small (1,000 allocations hold 8 MB), and well above any path MTU.
    /// </summary>
    public const int MaxPayload = 8_192 - Headroom - Tailroom;

    public const int BufferSize = Headroom + MaxPayload + Tailroom;
}
