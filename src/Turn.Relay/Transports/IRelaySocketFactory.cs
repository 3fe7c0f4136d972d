using Turn.Protocol;

namespace Turn.Relay.Transports;

/// <summary>Binds relay sockets; tests substitute an in-memory factory.</summary>
internal interface IRelaySocketFactory
{
    /// <summary>Binds a UDP socket to the address and port; null when the port is taken.</summary>
    IRelaySocket? TryBind(in TransportAddress local);
}
