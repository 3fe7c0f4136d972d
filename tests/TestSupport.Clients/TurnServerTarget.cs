namespace Turnstone.TestSupport.Clients;

/// <summary>
/// What a client driver needs to reach a TURN server: where, over what, and as whom. The drivers
/// know nothing of the server's internals, so the same ones test the engine alone and the full stack.
/// </summary>
/// <param name="Host">Server address or name (127.0.0.1; "localhost" for TLS, to match the certificate).</param>
/// <param name="Port">Server port for <paramref name="Transport"/>.</param>
/// <param name="Realm">The realm the server is expected to announce (clients learn it from the 401).</param>
public sealed record TurnServerTarget(string Host, int Port, ClientTransport Transport, string Realm, string User, string Password)
{
    public TurnServerTarget WithTransport(ClientTransport transport, int port) => this with { Transport = transport, Port = port };

    public TurnServerTarget WithPassword(string password) => this with { Password = password };
}
