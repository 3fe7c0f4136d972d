using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Turn.Relay.Seams;

/// <summary>The server certificate (with private key) for the TURNS listener, asked for once at start.</summary>
public interface ITlsCertificateSource
{
    X509Certificate2 GetServerCertificate();

    /// <summary>
    /// The certificate with the intermediate CA certificates the handshake must present, so clients
    /// that know only the root can build the chain. The default has the leaf alone.
    /// </summary>
    SslStreamCertificateContext GetServerCertificateContext() =>
        SslStreamCertificateContext.Create(GetServerCertificate(), additionalCertificates: null, offline: true);
}
