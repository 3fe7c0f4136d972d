namespace Turn.Relay.Seams;

/// <summary>The client-facing transport of an allocation's 5-tuple.</summary>
public enum RelayTransport
{
    Udp,
    Tcp,
    Tls,
}
