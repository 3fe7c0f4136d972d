using Turn.Protocol;

namespace Turn.Relay.Transports;

/// <summary>A local UDP endpoint clients send datagrams to (a listener, or an in-memory one in tests).</summary>
internal interface IDatagramEndpoint
{
    /// <summary>The local part of the 5-tuple, as <see cref="FiveTupleKey.LocalId"/>.</summary>
    int LocalId { get; }

    TransportAddress LocalAddress { get; }

    /// <summary>A handle for replying to <paramref name="remote"/> (made on the control path only).</summary>
    ClientConnection CreateConnection(in TransportAddress remote);
}
