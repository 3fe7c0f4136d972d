using System.Security.Cryptography.X509Certificates;

namespace Turn.Relay.Seams;

/// <summary>The server certificate (with private key) for the TURNS listener, asked for once at start.</summary>
public interface ITlsCertificateSource
{
    X509Certificate2 GetServerCertificate();
}
