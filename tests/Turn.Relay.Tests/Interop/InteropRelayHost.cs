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
using Turnstone.TestSupport;
using Turnstone.TestSupport.Clients;

namespace Turn.Relay.Tests.Interop;

/// <summary>
/// Turnstone's relay engine running in-process on 127.0.0.1 in relay-only mode (users from
/// configuration), with the real peer policy and TLS certificate provider, as `turnstone serve`
/// wires them. UDP/TCP on an OS-chosen port; TLS (when asked) on a free port; relay ports leased
/// from <see cref="PortRangeAllocator"/>, so no other test host (in this process or another) uses them.
/// </summary>
public sealed class InteropRelayHost : IAsyncDisposable
{
    public const string Realm = "interop.test";
    public const string User = "alice";
    public const string Password = "s3cret-interop";

    private const int RelayPorts = 200;

    private readonly IHost _host;
    private readonly string _dataDirectory;
    private readonly PortRange _relayPorts;

    private InteropRelayHost(IHost host, string dataDirectory, PortRange relayPorts, int udpPort, int ipv6Port, int tlsPort)
    {
        _host = host;
        _dataDirectory = dataDirectory;
        _relayPorts = relayPorts;
        Port = udpPort;
        IPv6Port = ipv6Port;
        TlsPort = tlsPort;
    }

    /// <summary>UDP and TCP port on 127.0.0.1 (one number for both).</summary>
    public int Port { get; }

    /// <summary>UDP and TCP port on ::1; 0 unless started with listenOnIPv6Loopback.</summary>
    public int IPv6Port { get; }

    /// <summary>TLS port, 0 when TLS is off.</summary>
    public int TlsPort { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>The certificate the TLS listener serves (generated or configured).</summary>
    internal TlsCertificate Certificate => _host.Services.GetRequiredService<TlsCertificateProvider>().GetCertificate();

    /// <param name="allowLoopbackPeers">Relay:AllowLoopbackPeers (the peers in these tests live on 127.0.0.1).</param>
    /// <param name="tls">Start the TLS listener.</param>
    /// <param name="certificate">PEM certificate and key; null with <paramref name="tls"/> = the generated self-signed one.</param>
    /// <param name="policyStore">Realm/global peer rules; null = none.</param>
    /// <param name="listenOnIPv6Loopback">Also listen on ::1, so clients there get IPv6 relays on ::1.</param>
    /// <param name="userQuota">
    /// Relay:UserQuota; 0 (unlimited) unless a test is about the quota: every test of a shared host uses one user, and
    /// uclient leaves its allocations (EVEN-PORT pairs, each with a reservation) to expire. Null = the default.
    /// </param>
    public static async Task<InteropRelayHost> StartAsync(
        bool allowLoopbackPeers,
        bool tls = false,
        (string CertificatePath, string KeyPath)? certificate = null,
        IRealmPolicyStore? policyStore = null,
        bool listenOnIPv6Loopback = false,
        int? userQuota = 0)
    {
        var relayPorts = PortRangeAllocator.Allocate(RelayPorts);
        var dataDirectory = Directory.CreateTempSubdirectory("turnstone-interop-").FullName;
        // With ::1 too, the TLS listener binds the same port on both loopbacks.
        var tlsPort = !tls ? 0 : listenOnIPv6Loopback ? FreePort.TcpAndUdpOnBothLoopbacks() : FreePort.TcpAndUdp();
        var settings = new Dictionary<string, string?>
        {
            ["Relay:ListenAddresses:0"] = "127.0.0.1",
            ["Relay:Port"] = "0",
            ["Relay:TlsPort"] = tlsPort.ToString(CultureInfo.InvariantCulture),
            ["Relay:MinPort"] = relayPorts.MinSetting,
            ["Relay:MaxPort"] = relayPorts.MaxSetting,
            ["Relay:DefaultRealm"] = Realm,
            ["Relay:Users:0"] = $"{User}:{Password}",
            ["Relay:AllowLoopbackPeers"] = allowLoopbackPeers ? "true" : "false",
            ["Relay:TlsGeneratedDirectory"] = Path.Combine(dataDirectory, "tls"),
            ["Relay:TlsCertificatePath"] = certificate?.CertificatePath,
            ["Relay:TlsKeyPath"] = certificate?.KeyPath,
            // Every interop client is on 127.0.0.1 (uclient runs up to hundreds): no per-source request rate, which
            // has tests of its own (SourceRequestRateTests, and the hostile suite against serve with the defaults).
            ["Relay:RequestsPerSecondPerSource"] = "0",
        };

        if (userQuota is { } quota)
        {
            settings["Relay:UserQuota"] = quota.ToString(CultureInfo.InvariantCulture);
        }

        if (listenOnIPv6Loopback)
        {
            // Only when asked: a null entry would bind as an empty (invalid) address.
            settings["Relay:ListenAddresses:1"] = "::1";
        }

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
            var ipv6Port = listeners.UdpEndPoints.SingleOrDefault(e => e.Address.Equals(IPAddress.IPv6Loopback))?.Port ?? 0;
            return new InteropRelayHost(host, dataDirectory, relayPorts, port, ipv6Port, tlsPort);
        }
        catch
        {
            host.Dispose();
            Directory.Delete(dataDirectory, recursive: true);
            relayPorts.Dispose();
            throw;
        }
    }

    /// <summary>The client view of this server over ::1 (needs listenOnIPv6Loopback).</summary>
    public TurnServerTarget IPv6Target(ClientTransport transport) =>
        IPv6Port == 0
            ? throw new InvalidOperationException("Start the relay with listenOnIPv6Loopback to reach it on ::1.")
            : new TurnServerTarget("::1", IPv6Port, transport, Realm, User, Password);

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
        _relayPorts.Dispose();
    }
}
