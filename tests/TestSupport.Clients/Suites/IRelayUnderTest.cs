namespace Turnstone.TestSupport.Clients.Suites;

/// <summary>
/// The TURN server a shared suite runs against: the engine-only host (Turn.Relay.Tests) or `turnstone serve`
/// (Admin.E2E.Tests). It listens on 127.0.0.1 and ::1, and has a user the suite authenticates as.
/// </summary>
public interface IRelayUnderTest
{
    /// <summary>The realm the server offers in its 401 answers (the suite user's realm).</summary>
    string Realm { get; }

    /// <summary>The suite user's view of the server: 127.0.0.1 for UDP/TCP, localhost (the certificate's name) for TLS.</summary>
    TurnServerTarget Target(ClientTransport transport);

    /// <summary>The suite user's view of the server over ::1 (UDP or TCP).</summary>
    TurnServerTarget IPv6Target(ClientTransport transport);
}
