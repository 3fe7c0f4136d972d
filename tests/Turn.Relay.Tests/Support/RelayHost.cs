using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Turn.Relay.Hosting;
using Turnstone.TestSupport;

namespace Turn.Relay.Tests.Support;

/// <summary>A real host running the relay on 127.0.0.1 with OS-chosen listener ports.</summary>
internal sealed class RelayHost : IAsyncDisposable
{
    private readonly string _tlsDirectory;
    private readonly PortRange? _leasedPorts;

    private RelayHost(IHost host, string tlsDirectory, int minPort, int maxPort, PortRange? leasedPorts)
    {
        _tlsDirectory = tlsDirectory;
        _leasedPorts = leasedPorts;
        Host = host;
        Service = host.Services.GetRequiredService<RelayHostedService>();
        MinRelayPort = minPort;
        MaxRelayPort = maxPort;
    }

    public IHost Host { get; }

    public RelayHostedService Service { get; }

    /// <summary>Relay:MinPort of this host.</summary>
    public int MinRelayPort { get; }

    /// <summary>Relay:MaxPort of this host.</summary>
    public int MaxRelayPort { get; }

    /// <summary>Starts a relay whose relay ports are leased from <see cref="PortRangeAllocator"/> (free, and no other test host's).</summary>
    public static async Task<RelayHost> StartAsync(IDictionary<string, string?>? extra = null, int relayPorts = 50)
    {
        var leased = PortRangeAllocator.Allocate(relayPorts);
        try
        {
            return await StartAsync(leased.Min, leased.Max, extra, leased);
        }
        catch
        {
            leased.Dispose();
            throw;
        }
    }

    /// <summary>Starts a relay on a hand-picked range of relay ports (tests that predate the allocator).</summary>
    public static Task<RelayHost> StartAsync(int minPort, int maxPort, IDictionary<string, string?>? extra = null) =>
        StartAsync(minPort, maxPort, extra, leasedPorts: null);

    private static async Task<RelayHost> StartAsync(int minPort, int maxPort, IDictionary<string, string?>? extra, PortRange? leasedPorts)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        var tlsDirectory = Path.Combine(Path.GetTempPath(), "turnstone-relay-tests-" + Guid.NewGuid().ToString("N"));
        builder.Logging.ClearProviders();
        var settings = new Dictionary<string, string?>
        {
            ["Relay:ListenAddresses:0"] = "127.0.0.1",
            ["Relay:Port"] = "0",
            ["Relay:TlsPort"] = "0",
            ["Relay:MinPort"] = minPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Relay:MaxPort"] = maxPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Relay:DefaultRealm"] = "test.realm",
            ["Relay:AllowLoopbackPeers"] = "true",
            // One user for every test of the host: no per-user quota (the quota has tests of its own).
            ["Relay:UserQuota"] = "0",
            // Every client of a test host is on 127.0.0.1: no per-source request rate (it has tests of its own).
            ["Relay:RequestsPerSecondPerSource"] = "0",
            ["Relay:Users:0"] = "alice:secret",
            ["Relay:TlsGeneratedDirectory"] = tlsDirectory,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddTurnRelay();
        var host = builder.Build();
        await host.StartAsync();
        return new RelayHost(host, tlsDirectory, minPort, maxPort, leasedPorts);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
        if (Directory.Exists(_tlsDirectory)) Directory.Delete(_tlsDirectory, recursive: true);
        _leasedPorts?.Dispose();
    }
}
