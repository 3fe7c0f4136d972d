using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Turn.Relay.Tls;

/// <summary>
/// Reads a configured PEM certificate (leaf first, then intermediates) and its key. Every problem is an
/// <see cref="InvalidOperationException"/> naming the configuration key, for start-up and for reload logs alike.
/// </summary>
internal static class TlsCertificateLoader
{
    public static TlsCertificate Load(string certificatePath, string keyPath, string certificateKey, string keyKey)
    {
        certificatePath = Path.GetFullPath(certificatePath);
        keyPath = Path.GetFullPath(keyPath);
        var certificatePem = ReadPem(certificatePath, certificateKey);
        var keyPem = ReadPem(keyPath, keyKey);

        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(certificatePem);
        }
        catch (CryptographicException exception)
        {
            throw new InvalidOperationException($"{certificateKey}: '{certificatePath}' holds a malformed PEM certificate: {exception.Message}", exception);
        }

        if (chain.Count == 0)
        {
            throw new InvalidOperationException($"{certificateKey}: '{certificatePath}' holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
        }

        X509Certificate2 leaf;
        try
        {
            using var withKey = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            leaf = WithPersistedKey(withKey);
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"{keyKey}: '{keyPath}' holds no unencrypted PEM private key matching the certificate in {certificateKey} ('{certificatePath}'): {exception.Message}",
                exception);
        }

        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < chain.Count; i++)
        {
            intermediates.Add(chain[i]);
        }

        chain[0].Dispose();
        return new TlsCertificate(leaf, SslStreamCertificateContext.Create(leaf, intermediates, offline: true), TlsCertificateSource.Configured, certificatePath, keyPath);
    }

    // Certificates made from PEM carry an ephemeral key that SslStream cannot use on every
    // platform; a PKCS#12 round trip gives a normal key handle everywhere.
    public static X509Certificate2 WithPersistedKey(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);

    private static string ReadPem(string path, string key)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{key}: cannot read '{path}': {exception.Message}", exception);
        }
    }
}
