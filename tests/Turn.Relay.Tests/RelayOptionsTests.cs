using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Turn.Protocol;
using Turn.Relay.Policy;
using Turn.Relay.Seams;
using Turn.Relay.Tls;

namespace Turn.Relay.Tests;

public sealed class RelayOptionsTests
{
    private static RelayOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new RelayOptions();
        configuration.GetSection(RelayOptions.SectionName).Bind(options);
        return options;
    }

    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = new RelayOptions();
        Assert.Empty(options.ListenAddresses);
        Assert.Equal(3478, options.Port);
        Assert.Equal(5349, options.TlsPort);
        Assert.Equal(49152, options.MinPort);
        Assert.Equal(65535, options.MaxPort);
        Assert.False(options.AllowLoopbackPeers);
        Assert.False(options.DenyPrivatePeers);
        Assert.Equal("Turnstone", options.Software);
        Assert.Equal(10, options.UserQuota); // issue 13: a per-user quota by default (0 still means unlimited)
        Assert.Equal(0, options.TotalQuota);
        Assert.Equal(0, options.MaxBitsPerSecond);
        Assert.True(new RelayOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Lifetimes_MatchTheRfc()
    {
        Assert.Equal(600, RelayLifetimes.DefaultAllocation.TotalSeconds);
        Assert.Equal(3600, RelayLifetimes.MaxAllocation.TotalSeconds);
        Assert.Equal(300, RelayLifetimes.Permission.TotalSeconds);
        Assert.Equal(600, RelayLifetimes.Channel.TotalSeconds);
        Assert.Equal(600, RelayLifetimes.Nonce.TotalSeconds);
    }

    [Theory]
    [InlineData("Relay:Port", "70000", "Relay:Port")]
    [InlineData("Relay:TlsPort", "-1", "Relay:TlsPort")]
    [InlineData("Relay:MinPort", "0", "Relay:MinPort")]
    [InlineData("Relay:MaxPort", "65536", "Relay:MaxPort")]
    [InlineData("Relay:ListenAddresses:0", "not-an-ip", "Relay:ListenAddresses:0")]
    [InlineData("Relay:RelayAddress", "300.1.1.1", "Relay:RelayAddress")]
    [InlineData("Relay:ExternalAddress", "example.com", "Relay:ExternalAddress")]
    [InlineData("Relay:DefaultRealm", "", "Relay:DefaultRealm")]
    [InlineData("Relay:UserQuota", "-1", "Relay:UserQuota")]
    [InlineData("Relay:TotalQuota", "-5", "Relay:TotalQuota")]
    [InlineData("Relay:MaxBitsPerSecond", "-1", "Relay:MaxBitsPerSecond")]
    [InlineData("Relay:Users:0", "nopassword", "Relay:Users:0")]
    [InlineData("Relay:StreamIdleTimeoutSeconds", "0", "Relay:StreamIdleTimeoutSeconds")]
    [InlineData("Relay:EventLoops", "-1", "Relay:EventLoops")]
    [InlineData("Relay:EventLoops", "257", "Relay:EventLoops")]
    [InlineData("Relay:MaxStreamConnectionsPerAddress", "0", "Relay:MaxStreamConnectionsPerAddress")]
    [InlineData("Relay:StreamAuthTimeoutSeconds", "0", "Relay:StreamAuthTimeoutSeconds")]
    [InlineData("Relay:TlsHandshakeTimeoutSeconds", "0", "Relay:TlsHandshakeTimeoutSeconds")]
    [InlineData("Relay:TlsReloadIntervalSeconds", "-1", "Relay:TlsReloadIntervalSeconds")]
    [InlineData("Relay:TlsCertificates:0:CertificatePath", "/nonexistent/cert.pem", "Relay:TlsCertificates:0")]
    [InlineData("Relay:AddressRealms:0", "not-an-ip=realm2", "Relay:AddressRealms:0")]
    [InlineData("Relay:AddressRealms:0", "127.0.0.2", "Relay:AddressRealms:0")]
    [InlineData("Relay:OriginRealms:0", "https://a.example", "Relay:OriginRealms:0")]
    [InlineData("Relay:HostNameRealms:0", "=realm2", "Relay:HostNameRealms:0")]
    [InlineData("Relay:RequestsPerSecondPerSource", "-1", "Relay:RequestsPerSecondPerSource")]
    [InlineData("Relay:RequestBurstPerSource", "0", "Relay:RequestBurstPerSource")]
    [InlineData("Relay:UnauthenticatedAnswersPerSecond", "-1", "Relay:UnauthenticatedAnswersPerSecond")]
    [InlineData("Relay:UnauthenticatedAnswerBurst", "0", "Relay:UnauthenticatedAnswerBurst")]
    [InlineData("Relay:UnauthenticatedAnswerPrefixBurst", "2000000", "Relay:UnauthenticatedAnswerPrefixBurst")]
    [InlineData("Relay:MaxRequestsInFlightPerSource", "-1", "Relay:MaxRequestsInFlightPerSource")]
    [InlineData("Relay:MaxRequestsInFlightPerPrefix", "-1", "Relay:MaxRequestsInFlightPerPrefix")]
    public void InvalidValue_FailsWithAMessageNamingTheKey(string key, string value, string named)
    {
        var result = new RelayOptionsValidator().Validate(null, Bind(new() { [key] = value }));
        Assert.True(result.Failed);
        Assert.Contains(named, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void StreamAndTlsDefaults_AreTheDocumentedOnes()
    {
        var options = new RelayOptions();
        Assert.Equal((10_000, 32, 30, 30, 10, 5), (options.MaxStreamConnections, options.MaxStreamConnectionsPerAddress,
            options.StreamIdleTimeoutSeconds, options.StreamAuthTimeoutSeconds, options.TlsHandshakeTimeoutSeconds, options.TlsReloadIntervalSeconds));
        Assert.Empty(options.TlsCertificates);
    }

    [Fact]
    public void RealmMaps_IPv6AndOriginsWithColons_BindAndValidate()
    {
        var options = Bind(new()
        {
            ["Relay:AddressRealms:0"] = "2001:db8::2=realm2",
            ["Relay:AddressRealms:1"] = "192.0.2.2 = realm3",
            ["Relay:OriginRealms:0"] = "https://app.example:8443=realm2",
            ["Relay:HostNameRealms:0"] = "turn.realm2.example=realm2",
            ["Relay:RealmSharedSecrets:realm2:0"] = "s=ecret",
        });
        Assert.True(new RelayOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(["2001:db8::2=realm2", "192.0.2.2 = realm3"], options.AddressRealms);
        Assert.Equal(["s=ecret"], options.RealmSharedSecrets["realm2"]);
    }

    [Fact]
    public void AddressRealms_SameAddressTwice_Fails()
    {
        var result = new RelayOptionsValidator().Validate(null, Bind(new() { ["Relay:AddressRealms:0"] = "192.0.2.2=a", ["Relay:AddressRealms:1"] = "::ffff:192.0.2.2=b" }));
        Assert.Contains("Relay:AddressRealms:1", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void MinPortAboveMaxPort_Fails()
    {
        var result = new RelayOptionsValidator().Validate(null, Bind(new() { ["Relay:MinPort"] = "50000", ["Relay:MaxPort"] = "40000" }));
        Assert.Contains("Relay:MinPort 50000 must not exceed Relay:MaxPort 40000", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_BindFromStringsAndObjects()
    {
        var options = Bind(new()
        {
            ["Relay:DefaultRealm"] = "r1",
            ["Relay:Users:0"] = "alice:pa:ss",
            ["Relay:Users:1:Name"] = "bob",
            ["Relay:Users:1:Password"] = "pw",
            ["Relay:Users:1:Realm"] = "r2",
        });
        Assert.Equal(2, options.Users.Count);
        Assert.Equal(("alice", "pa:ss", ""), (options.Users[0].Name, options.Users[0].Password, options.Users[0].Realm));
        Assert.Equal(("bob", "pw", "r2"), (options.Users[1].Name, options.Users[1].Password, options.Users[1].Realm));

        var store = new ConfigurationCredentialStore(Options.Create(options));
        Assert.Equal(LongTermKey.Compute("alice", "r1", "pa:ss"), await store.GetLongTermKeyAsync("r1", "alice", default));
        Assert.Equal(LongTermKey.Compute("bob", "r2", "pw"), await store.GetLongTermKeyAsync("r2", "bob", default));
        Assert.Null(await store.GetLongTermKeyAsync("r1", "bob", default));
    }

    [Fact]
    public async Task HostStart_WithInvalidOptions_StopsNamingTheKey()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Relay:MinPort"] = "70000", ["Relay:TlsPort"] = "0" });
        builder.AddTurnRelay();
        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Relay:MinPort", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTurnRelay_RegistersSeamsAndFallbacks()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTurnRelay(new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();
        Assert.IsType<ConfigurationCredentialStore>(provider.GetRequiredService<ICredentialStore>());
        Assert.IsType<PeerPolicy>(provider.GetRequiredService<IPeerPolicy>());
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        // Both seams are views over the one engine the hosted service runs.
        var engine = provider.GetRequiredService<Engine.RelayEngine>();
        Assert.Same(engine.State, provider.GetRequiredService<IRelayState>());
        Assert.Same(engine.Control, provider.GetRequiredService<IRelayControl>());
        Assert.Contains(provider.GetServices<IHostedService>(), s => s is Hosting.RelayHostedService);
    }

    [Fact]
    public void RelaySection_IsBoundOnce_WhateverOrderThePartsAreAdded()
    {
        // The peer policy and the TLS certificate read RelayOptions too; adding them before the engine
        // must neither bind the section twice (list entries would double) nor lose their keys.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Relay:Users:0"] = "alice:secret",
            ["Relay:ListenAddresses:0"] = "127.0.0.1",
            ["Relay:AllowLoopbackPeers"] = "true",
            ["Relay:TlsGeneratedDirectory"] = "/tmp/turnstone-options-test",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddPeerPolicy();
        services.AddTurnRelay(configuration);
        services.AddRelayTlsCertificate();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<RelayOptions>>().Value;
        Assert.Single(options.Users);
        Assert.Single(options.ListenAddresses);
        Assert.Equal("/tmp/turnstone-options-test", options.TlsGeneratedDirectory);
        Assert.True(provider.GetRequiredService<PeerPolicy>().AllowLoopbackPeers);
    }

    [Fact]
    public void AddTurnRelay_KeepsACredentialStoreRegisteredEarlier()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<ICredentialStore, EmptyStore>();
        services.AddTurnRelay(new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();
        Assert.IsType<EmptyStore>(provider.GetRequiredService<ICredentialStore>());
    }

    private sealed class EmptyStore : ICredentialStore
    {
        public ValueTask<byte[]?> GetLongTermKeyAsync(string realm, string username, CancellationToken cancellationToken) => ValueTask.FromResult<byte[]?>(null);

        public ValueTask<IReadOnlyList<string>> GetSharedSecretsAsync(string realm, CancellationToken cancellationToken) => ValueTask.FromResult<IReadOnlyList<string>>([]);
    }
}
