using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Turn.Relay.Seams;

namespace Turn.Relay.Tls;

/// <summary>A certificate the TLS listener can present, ready for <see cref="SslServerAuthenticationOptions"/>.</summary>
internal sealed class TlsCertificate : IDisposable
{
    public TlsCertificate(X509Certificate2 certificate, SslStreamCertificateContext context, TlsCertificateSource source,
        string certificatePath, string keyPath)
    {
        Certificate = certificate;
        Context = context;
        Source = source;
        CertificatePath = certificatePath;
        KeyPath = keyPath;
        ServerOptions = TlsServerOptions.Create(context);
        HostNames = ReadDnsNames(certificate);
        Info = new TlsCertificateInfo(HostNames, certificate.Subject, new DateTimeOffset(certificate.NotBefore.ToUniversalTime()),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime()), source != TlsCertificateSource.Configured, certificate.Thumbprint,
            certificatePath);
    }

    /// <summary>The server certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate with its intermediates, for <see cref="SslServerAuthenticationOptions.ServerCertificateContext"/>.</summary>
    public SslStreamCertificateContext Context { get; }

    /// <summary>The handshake options presenting this certificate (shared by every handshake that picks it).</summary>
    public SslServerAuthenticationOptions ServerOptions { get; }

    public TlsCertificateSource Source { get; }

    /// <summary>Full path of the PEM certificate file.</summary>
    public string CertificatePath { get; }

    /// <summary>Full path of the PEM key file.</summary>
    public string KeyPath { get; }

    /// <summary>Subject alternative DNS names, lower case, wildcards as written ("*.example.org").</summary>
    public IReadOnlyList<string> HostNames { get; }

    /// <summary>What <see cref="ITlsCertificateStatus"/> reports for this certificate.</summary>
    public TlsCertificateInfo Info { get; }

    public void Dispose() => Certificate.Dispose();

    private static string[] ReadDnsNames(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension is not X509SubjectAlternativeNameExtension san) continue;
            foreach (var name in san.EnumerateDnsNames())
            {
                if (TlsHostName.Normalize(name) is { } normalized && !names.Contains(normalized)) names.Add(normalized);
            }
        }
        return [.. names];
    }
}
