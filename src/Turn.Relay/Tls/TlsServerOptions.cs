using System.Net.Security;
using System.Security.Authentication;

namespace Turn.Relay.Tls;

/// <summary>The server side of a TURNS handshake for one certificate; made once per certificate and shared by its handshakes.</summary>
internal static class TlsServerOptions
{
    // SslStream copies the options at the start of each handshake, so one instance serves them all.
    public static SslServerAuthenticationOptions Create(SslStreamCertificateContext certificate) => new()
    {
        // The context carries the intermediates from the chain file: the handshake sends them.
        ServerCertificateContext = certificate,
        ClientCertificateRequired = false,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
    };
}
