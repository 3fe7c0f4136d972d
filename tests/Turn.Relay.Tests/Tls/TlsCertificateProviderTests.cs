using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Turn.Relay.Tls;
using Turnstone.TestSupport.Clients;

namespace Turn.Relay.Tests.Tls;

public sealed class TlsCertificateProviderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("turnstone-tls-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static TlsCertificateProvider Create(RelayOptions options, ListLogger<TlsCertificateProvider>? logger = null, TimeProvider? time = null) =>
        new(Options.Create(options), logger ?? new ListLogger<TlsCertificateProvider>(), time);

    [Fact]
    public void GetCertificate_NothingConfigured_GeneratesSelfSignedP256ForLocalhostAndLogsIt()
    {
        var logger = new ListLogger<TlsCertificateProvider>();
        var generated = Path.Combine(_directory, "generated");
        using var provider = Create(new RelayOptions { TlsGeneratedDirectory = generated }, logger);

        var tls = provider.GetCertificate();

        Assert.Equal(TlsCertificateSource.Generated, tls.Source);
        Assert.True(tls.Certificate.HasPrivateKey);
        Assert.Equal(Path.Combine(generated, TlsCertificateProvider.GeneratedCertificateFileName), tls.CertificatePath);
        Assert.True(File.Exists(tls.CertificatePath));
        Assert.True(File.Exists(tls.KeyPath));
        using (var key = tls.Certificate.GetECDsaPublicKey())
        {
            Assert.NotNull(key);
            Assert.Equal(256, key.KeySize);
            Assert.Equal("1.2.840.10045.3.1.7", key.ExportParameters(false).Curve.Oid.Value ?? Oid.FromFriendlyName(key.ExportParameters(false).Curve.Oid.FriendlyName!, OidGroup.All).Value);
        }

        var lifetime = tls.Certificate.NotAfter - tls.Certificate.NotBefore;
        Assert.InRange(lifetime, TimeSpan.FromDays(365), TimeSpan.FromDays(366));
        var san = tls.Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("localhost", san.EnumerateDnsNames());
        Assert.Contains(IPAddress.Loopback, san.EnumerateIPAddresses());
        Assert.Contains(IPAddress.IPv6Loopback, san.EnumerateIPAddresses());
        Assert.Contains(logger.Entries, e => e.EventId.Id == 1303 && e.Message.Contains("self-signed", StringComparison.Ordinal) && e.Message.Contains(tls.CertificatePath, StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tls.KeyPath));
        }
    }

    [Fact]
    public void GetCertificate_SecondStart_ReusesTheGeneratedCertificate()
    {
        var options = new RelayOptions { TlsGeneratedDirectory = _directory };
        string thumbprint;
        using (var first = Create(options))
        {
            thumbprint = first.GetCertificate().Certificate.Thumbprint;
        }

        var logger = new ListLogger<TlsCertificateProvider>();
        using var second = Create(options, logger);
        var tls = second.GetCertificate();

        Assert.Equal(TlsCertificateSource.Reused, tls.Source);
        Assert.Equal(thumbprint, tls.Certificate.Thumbprint);
        Assert.True(tls.Certificate.HasPrivateKey);
        Assert.Contains(logger.Entries, e => e.EventId.Id == 1304);
    }

    [Fact]
    public void GetCertificate_GeneratedCertificateNearExpiry_IsReplaced()
    {
        var options = new RelayOptions { TlsGeneratedDirectory = _directory };
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        string thumbprint;
        using (var first = Create(options, time: time))
        {
            thumbprint = first.GetCertificate().Certificate.Thumbprint;
        }

        time.Advance(TimeSpan.FromDays(340));
        using var later = Create(options, time: time);
        var tls = later.GetCertificate();

        Assert.Equal(TlsCertificateSource.Generated, tls.Source);
        Assert.NotEqual(thumbprint, tls.Certificate.Thumbprint);
    }

    [Fact]
    public void GetCertificate_CorruptGeneratedFiles_AreReplaced()
    {
        File.WriteAllText(Path.Combine(_directory, TlsCertificateProvider.GeneratedCertificateFileName), "garbage");
        File.WriteAllText(Path.Combine(_directory, TlsCertificateProvider.GeneratedKeyFileName), "garbage");
        var logger = new ListLogger<TlsCertificateProvider>();
        using var provider = Create(new RelayOptions { TlsGeneratedDirectory = _directory }, logger);

        var tls = provider.GetCertificate();

        Assert.Equal(TlsCertificateSource.Generated, tls.Source);
        Assert.Contains(logger.Entries, e => e.EventId.Id == 1306);
    }

    [Fact]
    public async Task GetCertificate_ConfiguredPem_LoadsAndServesATlsHandshakeTrustedByTheCa()
    {
        using var ca = new TestCertificateAuthority();
        var (certificatePath, keyPath) = ca.IssueServerCertificate(_directory);
        var logger = new ListLogger<TlsCertificateProvider>();
        using var provider = Create(new RelayOptions { TlsCertificatePath = certificatePath, TlsKeyPath = keyPath }, logger);

        var tls = provider.GetCertificate();

        Assert.Equal(TlsCertificateSource.Configured, tls.Source);
        Assert.Equal("CN=localhost", tls.Certificate.Subject);
        Assert.True(tls.Certificate.HasPrivateKey);
        Assert.Contains(logger.Entries, e => e.EventId.Id == 1301);
        Assert.False(Directory.Exists(Path.Combine(_directory, ".data")));

        await AssertHandshakeAsync(tls, ca.Certificate);
    }

    [Fact]
    public async Task GetCertificate_Generated_ServesATlsHandshakeTrustedByItself()
    {
        using var provider = Create(new RelayOptions { TlsGeneratedDirectory = _directory });
        var tls = provider.GetCertificate();
        using var trusted = X509CertificateLoader.LoadCertificate(tls.Certificate.RawData);
        await AssertHandshakeAsync(tls, trusted);
    }

    [Fact]
    public void GetCertificate_KeyDoesNotMatchCertificate_NamesTlsKeyPath()
    {
        using var ca = new TestCertificateAuthority();
        var (certificatePath, _) = ca.IssueServerCertificate(Path.Combine(_directory, "a"));
        var (_, otherKeyPath) = ca.IssueServerCertificate(Path.Combine(_directory, "b"));
        using var provider = Create(new RelayOptions { TlsCertificatePath = certificatePath, TlsKeyPath = otherKeyPath });

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetCertificate());

        Assert.StartsWith("Relay:TlsKeyPath:", error.Message, StringComparison.Ordinal);
        Assert.Contains(otherKeyPath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetCertificate_CertificateFileIsNotPem_NamesTlsCertificatePath()
    {
        using var ca = new TestCertificateAuthority();
        var (_, keyPath) = ca.IssueServerCertificate(_directory);
        var certificatePath = Path.Combine(_directory, "not-a-cert.pem");
        File.WriteAllText(certificatePath, "this is not a certificate");
        using var provider = Create(new RelayOptions { TlsCertificatePath = certificatePath, TlsKeyPath = keyPath });

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetCertificate());

        Assert.StartsWith("Relay:TlsCertificatePath:", error.Message, StringComparison.Ordinal);
        Assert.Contains("no PEM certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetCertificate_KeyFileUnreadable_NamesTlsKeyPath()
    {
        using var ca = new TestCertificateAuthority();
        var (certificatePath, _) = ca.IssueServerCertificate(_directory);
        var directoryAsKey = Directory.CreateDirectory(Path.Combine(_directory, "key-is-a-directory")).FullName;
        using var provider = Create(new RelayOptions { TlsCertificatePath = certificatePath, TlsKeyPath = directoryAsKey });

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetCertificate());

        Assert.StartsWith("Relay:TlsKeyPath: cannot read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetCertificate_GeneratedDirectoryNotWritable_NamesTlsGeneratedDirectory()
    {
        var blocker = Path.Combine(_directory, "a-file");
        File.WriteAllText(blocker, "not a directory");
        using var provider = Create(new RelayOptions { TlsGeneratedDirectory = Path.Combine(blocker, "tls") });

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetCertificate());

        Assert.StartsWith("Relay:TlsGeneratedDirectory:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cert", null, "Relay:TlsKeyPath must be set")]
    [InlineData(null, "key", "Relay:TlsCertificatePath must be set")]
    [InlineData("missing-cert", "missing-key", "Relay:TlsCertificatePath: the file")]
    [InlineData("missing-cert", "missing-key", "Relay:TlsKeyPath: the file")]
    public void ValidateOnStart_IncompleteOrMissingFiles_StopsStartWithTheKeyName(string? certificate, string? key, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Relay:TlsCertificatePath"] = certificate is null ? null : Path.Combine(_directory, certificate),
            ["Relay:TlsKeyPath"] = key is null ? null : Path.Combine(_directory, key),
        };
        if (certificate == "cert")
        {
            File.WriteAllText(Path.Combine(_directory, "cert"), "x");
        }

        if (key == "key")
        {
            File.WriteAllText(Path.Combine(_directory, "key"), "x");
        }

        using var services = BuildServices(settings);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<RelayOptions>>().Value);
        Assert.Contains(error.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void AddRelayTlsCertificate_BindsTheRelaySection()
    {
        using var ca = new TestCertificateAuthority();
        var (certificatePath, keyPath) = ca.IssueServerCertificate(_directory);
        using var services = BuildServices(new Dictionary<string, string?>
        {
            ["Relay:TlsCertificatePath"] = certificatePath,
            ["Relay:TlsKeyPath"] = keyPath,
        });

        var provider = services.GetRequiredService<TlsCertificateProvider>();

        Assert.Equal(TlsCertificateSource.Configured, provider.GetCertificate().Source);
        Assert.Equal(RelayOptions.DefaultTlsGeneratedDirectory, services.GetRequiredService<IOptions<RelayOptions>>().Value.TlsGeneratedDirectory);
    }

    private static ServiceProvider BuildServices(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddRelayTlsCertificate()
            .BuildServiceProvider();
    }

    private static async Task AssertHandshakeAsync(TlsCertificate tls, X509Certificate2 trustAnchor)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var serverTask = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync(timeout.Token);
            await using var server = new SslStream(accepted.GetStream());
            await server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateContext = tls.Context }, timeout.Token);
            await server.WriteAsync("ok"u8.ToArray(), timeout.Token);
        }, timeout.Token);

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        await using var stream = new SslStream(client.GetStream());
        var chainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        chainPolicy.CustomTrustStore.Add(trustAnchor);
        await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            CertificateChainPolicy = chainPolicy,
        }, timeout.Token);
        var buffer = new byte[2];
        await stream.ReadExactlyAsync(buffer, timeout.Token);
        Assert.Equal("ok"u8.ToArray(), buffer);
        await serverTask;
    }
}
