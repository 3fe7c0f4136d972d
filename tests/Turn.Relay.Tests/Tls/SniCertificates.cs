using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Turnstone.TestSupport.Clients;

namespace Turn.Relay.Tests.Tls;

/// <summary>
/// Server certificates from a test CA with chosen subjects and DNS names (for SNI), written as PEM files, and a
/// TLS client that reports the certificate the server presented.
/// </summary>
internal sealed class SniCertificates : IDisposable
{
    private readonly TestCertificateAuthority _authority = new("Turnstone SNI Test CA");

    public SniCertificates() => Directory = System.IO.Directory.CreateTempSubdirectory("turnstone-sni-").FullName;

    public string Directory { get; }

    public X509Certificate2 Root => _authority.Certificate;

    /// <summary>Writes <paramref name="name"/>.crt.pem and .key.pem: subject CN=<paramref name="subject"/>, SAN DNS <paramref name="dnsNames"/>.</summary>
    public (string CertificatePath, string KeyPath) Issue(string name, string subject, params string[] dnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames) names.AddDnsName(dns);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Root, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(Root, now.AddHours(-1), now.AddDays(7), serial);
        var certificatePath = Path.Combine(Directory, name + ".crt.pem");
        var keyPath = Path.Combine(Directory, name + ".key.pem");
        File.WriteAllText(certificatePath, issued.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        return (certificatePath, keyPath);
    }

    /// <summary>
    /// Handshakes with <paramref name="server"/> sending <paramref name="serverName"/> as SNI (none when null) and
    /// returns the subject of the certificate presented, after checking it chains to the test CA.
    /// </summary>
    public async Task<string> HandshakeAsync(IPEndPoint server, string? serverName)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server, timeout.Token);
        var errors = SslPolicyErrors.None;
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, e) =>
        {
            errors = e;
            return true;
        });
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(Root);
        // .NET sends no SNI for an empty target host.
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = serverName ?? "", CertificateChainPolicy = policy }, timeout.Token);
        // The chain must hold; the name may not (the default certificate answers names it does not list).
        Assert.Equal(SslPolicyErrors.None, errors & ~SslPolicyErrors.RemoteCertificateNameMismatch);
        return ssl.RemoteCertificate!.Subject;
    }

    public void Dispose()
    {
        _authority.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
