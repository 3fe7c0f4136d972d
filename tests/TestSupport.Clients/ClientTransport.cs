namespace Turnstone.TestSupport.Clients;

/// <summary>How a client reaches the TURN server.</summary>
public enum ClientTransport
{
    Udp,
    Tcp,

    /// <summary>TLS over TCP (TURNS).</summary>
    Tls,
}
