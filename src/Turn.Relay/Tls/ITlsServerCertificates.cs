using System.Net.Security;

namespace Turn.Relay.Tls;

/// <summary>
/// What the TLS listener asks at each handshake: the server options (certificate with its chain) for the SNI host
/// name the client sent. Answers from memory: the handshake of an unauthenticated client must cost no I/O.
/// </summary>
internal interface ITlsServerCertificates
{
    /// <param name="serverName">The SNI host name as the client sent it; null or empty without SNI.</param>
    SslServerAuthenticationOptions GetServerOptions(string? serverName);
}
