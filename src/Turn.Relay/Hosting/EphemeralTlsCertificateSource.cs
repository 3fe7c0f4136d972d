using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Turn.Relay.Seams;

namespace Turn.Relay.Hosting;

/// <summary>
/// Fallback certificate source when none is registered: a self-signed ECDSA P-256 certificate
/// kept in memory only (clients must not verify it). The real provider (Turn.Relay.Tls) loads the
/// configured PEM files or persists a generated certificate and replaces this one.
/// </summary>
internal sealed class EphemeralTlsCertificateSource(TimeProvider time) : ITlsCertificateSource, IDisposable
{
    private readonly Lazy<X509Certificate2> _certificate = new(() => Create(time));

    public X509Certificate2 GetServerCertificate() => _certificate.Value;

    private static X509Certificate2 Create(TimeProvider time)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=turnstone", key, HashAlgorithmName.SHA256);
        var now = time.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(90));
        // SslStream needs a key handle it can use on every platform: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose()
    {
        if (_certificate.IsValueCreated) _certificate.Value.Dispose();
    }
}
