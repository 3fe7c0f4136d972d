using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Turnstone.TestSupport;

namespace Admin.E2E.Tests.Hosting;

/// <summary>
/// A running turnstone app that <see cref="AppFixtureBuilder"/> started, with what it owns: the database, the data
/// directory and the leased relay ports. Dispose stops the app as Ctrl-C would and gives everything back.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    private readonly PortalFactory _factory;
    private readonly string _directory;
    private readonly bool _ownsDatabase;

    internal TestApp(PortalFactory factory, TestDatabase database, string directory, PortRange relayPorts, int metricsPort, string? caFile, bool ownsDatabase = true)
    {
        _ownsDatabase = ownsDatabase;
        _factory = factory;
        _directory = directory;
        Database = database;
        RelayPorts = relayPorts;
        MetricsPort = metricsPort;
        CaFile = caFile;
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.Single(a => new Uri(a).Port != metricsPort));
        var listeners = RelayListenerPorts.Read(factory.Services);
        TurnPort = listeners.Port;
        IPv6TurnPort = listeners.IPv6Port;
        TlsPort = listeners.TlsPort;
    }

    public IServiceProvider Services => _factory.Services;

    /// <summary>The portal and API.</summary>
    public Uri BaseAddress { get; }

    public TestDatabase Database { get; }

    /// <summary>The relay's UDP and TCP listener port on 127.0.0.1, chosen by the OS.</summary>
    public int TurnPort { get; }

    /// <summary>The relay's UDP and TCP listener port on ::1; 0 unless the builder asked for ::1.</summary>
    public int IPv6TurnPort { get; }

    /// <summary>The relay's TLS port on 127.0.0.1; 0 when TLS is off.</summary>
    public int TlsPort { get; }

    /// <summary>The test CA's certificate (PEM file) that signed the TLS certificate; null when TLS is off.</summary>
    public string? CaFile { get; }

    /// <summary>The metrics listener's port; 0 when it is off.</summary>
    public int MetricsPort { get; }

    /// <summary>Relay:MinPort..MaxPort of this app.</summary>
    public PortRange RelayPorts { get; }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        // Not a plain dispose: the app's own run loop stops the host, and a second, concurrent stop would race it.
        await _factory.StopAndDisposeAsync();
        if (_ownsDatabase) await Database.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
        RelayPorts.Dispose();
    }
}
