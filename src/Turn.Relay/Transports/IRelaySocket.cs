using Turn.Protocol;

namespace Turn.Relay.Transports;

/// <summary>An allocation's relayed transport address: a UDP socket facing the peers.</summary>
internal interface IRelaySocket : IDisposable
{
    /// <summary>The bound local address and port.</summary>
    TransportAddress LocalAddress { get; }

    /// <summary>Sends one datagram to a peer; false when it could not be sent. Never blocks.</summary>
    bool SendTo(ReadOnlySpan<byte> datagram, in TransportAddress peer);

    /// <summary>
    /// Asks for the DF bit on outgoing datagrams (RFC 8656 section 14.8). Returns false where the
    /// platform cannot set it; the relay then sends without DF.
    /// </summary>
    bool TrySetDontFragment(bool value);

    /// <summary>Starts delivering peer datagrams to <paramref name="receiver"/>, once.</summary>
    void Start(IPeerDatagramReceiver receiver);
}
