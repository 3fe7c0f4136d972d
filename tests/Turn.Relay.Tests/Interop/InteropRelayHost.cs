using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Turn.Relay.Hosting;
using Turn.Relay.Policy;
using Turn.Relay.Seams;
using Turn.Relay.Tls;
using Turnstone.TestSupport.Clients;

namespace Turn.Relay.Tests.Interop;

/// <summary>
/// Turnstone's relay engine running in-process on 127.0.0.1 in relay-only mode (users from
/// configuration), with the real peer policy and TLS certificate provider, as `turnstone serve`
/// wires them. UDP/TCP on an OS-chosen port; TLS (when asked) on a free port; relay ports from a
/// block of this helper's range (43000-44999) that no other host in this test run uses.
/// </summary>
public sealed class InteropRelayHost : IAsyncDisposable
{
    public const string Realm = "interop.test";
    public const string User = "alice";
    public const string Password = "s3cret-interop";

    private const int RangeStart = 43000;
    private const int BlockSize = 200;
    private const int Blocks = 10;
    private static int s_nextBlock = -1;

    private readonly IHost _host;
    private readonly string _dataDirectory;

    private InteropRelayHost(IHost host, string dataDirectory, int udpPort, int tlsPort)
    {
        _host = host;
        _dataDirectory = dataDirectory;
        Port = udpPort;
        TlsPort = tlsPort;
    }

    /// <summary>UDP and TCP port (one number for both).</summary>
    public int Port { get; }

    /// <summary>TLS port, 0 when TLS is off.</summary>
    public int TlsPort { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>The certificate the TLS listener serves (generated or configured).</summary>
    public TlsCertificate Certificate => _host.Services.GetRequiredService<TlsCertificateProvider>().GetCertificate();

    /// <param name="allowLoopbackPeers">Relay:AllowLoopbackPeers (the peers in these tests live on 127.0.0.1).</param>
    /// <param name="tls">Start the TLS listener.</param>
    /// <param name="certificate">PEM certificate and key; null with <paramref name="tls"/> = the generated self-signed one.</param>
    /// <param name="policyStore">Realm/global peer rules; null = none.</param>
    public static async Task<InteropRelayHost> StartAsync(
        bool allowLoopbackPeers,
        bool tls = false,
        (string CertificatePath, string KeyPath)? certificate = null,
        IRealmPolicyStore? policyStore = null)
    {
        var block = Interlocked.Increment(ref s_nextBlock) % Blocks;
        var minPort = RangeStart + (block * BlockSize);
        var dataDirectory = Directory.CreateTempSubdirectory("turnstone-interop-").FullName;
        var tlsPort = tls ? FreePort.TcpAndUdp() : 0;
        var settings = new Dictionary<string, string?>
        {
            ["Relay:ListenAddresses:0"] = "127.0.0.1",
            ["Relay:Port"] = "0",
            ["Relay:TlsPort"] = tlsPort.ToString(CultureInfo.InvariantCulture),
            ["Relay:MinPort"] = minPort.ToString(CultureInfo.InvariantCulture),
            ["Relay:MaxPort"] = (minPort + BlockSize - 1).ToString(CultureInfo.InvariantCulture),
            ["Relay:DefaultRealm"] = Realm,
            ["Relay:Users:0"] = $"{User}:{Password}",
            ["Relay:AllowLoopbackPeers"] = allowLoopbackPeers ? "true" : "false",
            ["Relay:TlsGeneratedDirectory"] = Path.Combine(dataDirectory, "tls"),
            ["Relay:TlsCertificatePath"] = certificate?.CertificatePath,
            ["Relay:TlsKeyPath"] = certificate?.KeyPath,
        };

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (policyStore is not null)
        {
            builder.Services.AddSingleton(policyStore);
        }

        builder.AddTurnRelay();
        builder.Services.AddPeerPolicy();
        builder.Services.AddRelayTlsCertificate();
        var host = builder.Build();
        try
        {
            await host.StartAsync().ConfigureAwait(false);
            var listeners = host.Services.GetRequiredService<RelayHostedService>();
            var port = listeners.UdpEndPoints.Single(e => e.Address.Equals(IPAddress.Loopback)).Port;
            return new InteropRelayHost(host, dataDirectory, port, tlsPort);
        }
        catch
        {
            host.Dispose();
            Directory.Delete(dataDirectory, recursive: true);
            throw;
        }
    }

    /// <summary>The client view of this server: 127.0.0.1 for UDP/TCP, localhost (the certificate's name) for TLS.</summary>
    public TurnServerTarget Target(ClientTransport transport) => transport switch
    {
        ClientTransport.Tls => new TurnServerTarget("localhost", TlsPort, transport, Realm, User, Password),
        _ => new TurnServerTarget("127.0.0.1", Port, transport, Realm, User, Password),
    };

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await _host.StopAsync(stop.Token).ConfigureAwait(false);
        }

        _host.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
