using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Turn.Relay.Hosting;
using Turn.Relay.Policy;
using Turn.Relay.Tests.Support;
using Turnstone.TestSupport;
using Turnstone.TestSupport.Clients;

namespace Turn.Relay.Tests.Interop;

/// <summary>
/// A <see cref="MultiHomedLab"/> with the relay running in this process on the wildcards (0.0.0.0
/// and ::, the default), with the real peer policy, and coturn's turnutils_peer echoing in the
/// peer namespace on each family. Built once for <see cref="MultiHomedNamespaceTests"/>; everything
/// is torn down (processes by PID, namespaces, links) on dispose, also after a failed start.
/// </summary>
public sealed class MultiHomedRelayFixture : IAsyncLifetime
{
    public const int PeerPort = 3480;

    private readonly List<ExternalProcess> _peers = [];
    private MultiHomedLab? _lab;
    private IHost? _host;
    private PortRange? _relayPorts;

    internal MultiHomedLab Lab => _lab ?? throw new InvalidOperationException("Not started.");

    /// <summary>UDP and TCP ports of the IPv4 and IPv6 wildcard listeners.</summary>
    public int UdpPort { get; private set; }

    public int TcpPort { get; private set; }

    public int UdpIPv6Port { get; private set; }

    public int TcpIPv6Port { get; private set; }

    public async Task InitializeAsync()
    {
        try
        {
            _lab = await MultiHomedLab.CreateAsync();
            await StartPeerAsync(_lab.PeerAddress, _lab.PeerGateway);
            await StartPeerAsync(_lab.PeerIPv6Address, _lab.PeerIPv6Gateway);
            await StartRelayAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartRelayAsync()
    {
        _relayPorts = PortRangeAllocator.Allocate(100);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Relay:ListenAddresses:0"] = "0.0.0.0",
            ["Relay:ListenAddresses:1"] = "::",
            ["Relay:Port"] = "0",
            ["Relay:TlsPort"] = "0",
            ["Relay:MinPort"] = _relayPorts.MinSetting,
            ["Relay:MaxPort"] = _relayPorts.MaxSetting,
            ["Relay:DefaultRealm"] = InteropRelayHost.Realm,
            ["Relay:Users:0"] = $"{InteropRelayHost.User}:{InteropRelayHost.Password}",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddTurnRelay();
        builder.Services.AddPeerPolicy();
        _host = builder.Build();
        await _host.StartAsync();
        var listeners = _host.Services.GetRequiredService<RelayHostedService>();
        UdpPort = listeners.UdpEndPoints.Single(e => e.Address.Equals(IPAddress.Any)).Port;
        UdpIPv6Port = listeners.UdpEndPoints.Single(e => e.Address.Equals(IPAddress.IPv6Any)).Port;
        TcpPort = listeners.TcpEndPoints.Single(e => e.Address.Equals(IPAddress.Any)).Port;
        TcpIPv6Port = listeners.TcpEndPoints.Single(e => e.Address.Equals(IPAddress.IPv6Any)).Port;
    }

    // turnutils_peer in the peer namespace; ready once it echoes a probe sent from this host's side of the link.
    private async Task StartPeerAsync(IPAddress address, IPAddress gateway)
    {
        var process = MultiHomedLab.StartIn(Lab.PeerNamespace, TurnutilsPeer.Executable,
            ["-L", address.ToString(), "-p", PeerPort.ToString(CultureInfo.InvariantCulture)]);
        _peers.Add(process);
        using var probe = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(gateway, 0));
        var buffer = new byte[64];
        for (var attempt = 0; attempt < 50; attempt++)
        {
            await probe.SendToAsync("probe"u8.ToArray(), SocketFlags.None, new IPEndPoint(address, PeerPort));
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                await probe.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(gateway.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0), wait.Token);
                return;
            }
            catch (OperationCanceledException)
            {
                // Not listening yet: probe again.
            }
            catch (SocketException)
            {
                // ICMP port unreachable before it binds: probe again.
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException($"turnutils_peer in {Lab.PeerNamespace} did not echo on {address}:{PeerPort}: {process.StandardOutput}{process.StandardError}");
    }

    // Idempotent: a failed start disposes here, and xunit may dispose again.
    public async Task DisposeAsync()
    {
        if (_host is { } host)
        {
            _host = null;
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(stop.Token);
            host.Dispose();
        }

        foreach (var peer in _peers)
        {
            peer.Kill();
            await peer.WaitAsync(TimeSpan.FromSeconds(5));
            peer.Dispose();
        }

        _peers.Clear();
        _relayPorts?.Dispose();
        _relayPorts = null;
        if (_lab is { } lab)
        {
            _lab = null;
            await lab.DisposeAsync();
        }
    }
}
