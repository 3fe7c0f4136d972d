using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests.Tls;

/// <summary>
/// A chain file (leaf + intermediate) configured for TURNS: the relay's TLS listener must present
/// the intermediate, so a client that trusts only the root accepts it (relay ports from the allocator).
/// </summary>
public sealed class TlsChainHandshakeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("turnstone-tls-chain-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task TlsListener_ChainFileWithIntermediate_PresentsTheFullChain()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = CreateRoot(rootKey);
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var intermediate = IssueIntermediate(root, intermediateKey);
        var (certificatePath, keyPath) = IssueLeaf(intermediate, intermediateKey);

        var tlsPort = FreeTcpPort();
        await using var host = await RelayHost.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:TlsPort"] = tlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Relay:TlsCertificatePath"] = certificatePath,
            ["Relay:TlsKeyPath"] = keyPath,
        });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(Assert.Single(host.Service.TlsEndPoints), timeout.Token);
        var presented = new List<string>();
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, _, chain, errors) =>
        {
            // What the server sent beyond the leaf reaches the client's chain as extra certificates.
            foreach (var certificate in chain!.ChainPolicy.ExtraStore) presented.Add(certificate.Thumbprint);
            return errors == SslPolicyErrors.None;
        });
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(root);
        // Throws AuthenticationException when the chain cannot be built from the root alone.
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", CertificateChainPolicy = policy }, timeout.Token);

        Assert.Contains(intermediate.Thumbprint, presented);
        Assert.Equal("CN=localhost", ssl.RemoteCertificate!.Subject);
    }

    // A root that may sign CAs (no path length limit), unlike the one-level TestCertificateAuthority.
    private static X509Certificate2 CreateRoot(ECDsa key)
    {
        var request = new CertificateRequest("CN=Turnstone Test Root", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddHours(-1), now.AddDays(30));
    }

    private static X509Certificate2 IssueIntermediate(X509Certificate2 root, ECDsa key)
    {
        var request = new CertificateRequest("CN=Turnstone Test Intermediate", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(root, now.AddHours(-1), now.AddDays(14), Serial());
        return issued.CopyWithPrivateKey(key);
    }

    private (string CertificatePath, string KeyPath) IssueLeaf(X509Certificate2 intermediate, ECDsa intermediateKey)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(intermediate, true, false));
        var now = DateTimeOffset.UtcNow;
        var signer = X509SignatureGenerator.CreateForECDsa(intermediateKey);
        using var leaf = request.Create(intermediate.SubjectName, signer, now.AddHours(-1), now.AddDays(7), Serial());
        // The usual chain file: the leaf first, then its intermediate.
        var certificatePath = Path.Combine(_directory, "chain.crt.pem");
        var keyPath = Path.Combine(_directory, "server.key.pem");
        File.WriteAllText(certificatePath, leaf.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        return (certificatePath, keyPath);
    }

    private static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return serial;
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
