using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Turn.Relay.Hosting;

namespace Turn.Relay.Tests.Support;

/// <summary>A real host running the relay on 127.0.0.1 with OS-chosen ports.</summary>
internal sealed class RelayHost : IAsyncDisposable
{
    private readonly string _tlsDirectory;

    private RelayHost(IHost host, string tlsDirectory)
    {
        _tlsDirectory = tlsDirectory;
        Host = host;
        Service = host.Services.GetRequiredService<RelayHostedService>();
    }

    public IHost Host { get; }

    public RelayHostedService Service { get; }

    public static async Task<RelayHost> StartAsync(int minPort, int maxPort, IDictionary<string, string?>? extra = null)
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
            ["Relay:Users:0"] = "alice:secret",
            ["Relay:TlsGeneratedDirectory"] = tlsDirectory,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddTurnRelay();
        var host = builder.Build();
        await host.StartAsync();
        return new RelayHost(host, tlsDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
        if (Directory.Exists(_tlsDirectory)) Directory.Delete(_tlsDirectory, recursive: true);
    }
}
