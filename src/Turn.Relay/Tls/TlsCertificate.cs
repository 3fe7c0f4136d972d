using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Turn.Relay.Tls;

/// <summary>The TLS listener's certificate, ready for <see cref="SslServerAuthenticationOptions"/>.</summary>
internal sealed class TlsCertificate(
    X509Certificate2 certificate,
    SslStreamCertificateContext context,
    TlsCertificateSource source,
    string certificatePath,
    string keyPath) : IDisposable
{
    /// <summary>The server certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; } = certificate;

    /// <summary>The certificate with its intermediates, for <see cref="SslServerAuthenticationOptions.ServerCertificateContext"/>.</summary>
    public SslStreamCertificateContext Context { get; } = context;

    public TlsCertificateSource Source { get; } = source;

    /// <summary>Full path of the PEM certificate file.</summary>
    public string CertificatePath { get; } = certificatePath;

    /// <summary>Full path of the PEM key file.</summary>
    public string KeyPath { get; } = keyPath;

    public void Dispose() => Certificate.Dispose();
}
