using Turn.Protocol;

namespace Turn.Relay.Transports;

/// <summary>What transports call with client traffic: implemented by the engine.</summary>
internal interface IClientMessageHandler
{
    /// <summary>One datagram from a UDP client; <paramref name="data"/> is only borrowed.</summary>
    void OnDatagram(IDatagramEndpoint endpoint, in TransportAddress remote, ReadOnlySpan<byte> data);

    /// <summary>One framed STUN or ChannelData message from a stream client; only borrowed.</summary>
    void OnStreamMessage(ClientConnection connection, ReadOnlySpan<byte> message);

    /// <summary>True when the connection's 5-tuple has an allocation (ChannelData is only valid then).</summary>
    bool HasAllocation(ClientConnection connection);

    /// <summary>A stream connection closed: its allocation goes with it (RFC 8656 section 3.1).</summary>
    void OnStreamClosed(ClientConnection connection);
}
