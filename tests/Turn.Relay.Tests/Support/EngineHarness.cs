using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Turn.Protocol;
using Turn.Relay.Diagnostics;
using Turn.Relay.Engine;
using Turn.Relay.Hosting;
using Turn.Relay.Policy;
using Turn.Relay.Seams;

namespace Turn.Relay.Tests.Support;

/// <summary>An engine on fake time with in-memory transports and relay sockets.</summary>
internal sealed class EngineHarness : IDisposable
{
    public const string Realm = "example.org";
    public const string User = "alice";
    public const string Password = "secret";

    public static readonly TransportAddress ServerAddress = TransportAddress.FromIPAddress(IPAddress.Parse("192.0.2.1"), 3478);
    public static readonly TransportAddress Peer1 = TransportAddress.FromIPAddress(IPAddress.Parse("198.51.100.10"), 5000);
    public static readonly TransportAddress Peer2 = TransportAddress.FromIPAddress(IPAddress.Parse("198.51.100.20"), 6000);
    public static readonly TransportAddress PeerV6 = TransportAddress.FromIPAddress(IPAddress.Parse("2001:db8::10"), 7000);

    private int _nextClientPort = 40000;

    /// <param name="listeners">The relay's bound listeners, for the checks against its own addresses; null = none known.</param>
    public EngineHarness(Action<RelayOptions>? configure = null, TestRealmPolicyStore? policies = null, bool userHashes = true, ICredentialStore? credentials = null,
        IRealmDirectory? realms = null, IUserHashResolver? userHashResolver = null, IReadOnlyList<System.Net.IPEndPoint>? listeners = null,
        IAlternateServerDirectory? alternates = null, IClusterUserCounts? clusterCounts = null)
    {
        Options = new RelayOptions
        {
            DefaultRealm = Realm,
            MinPort = 50000,
            MaxPort = 50099,
            Users = [new RelayUser { Name = User, Password = Password }, new RelayUser { Name = "bob", Password = "hunter2" }],
            SharedSecrets = ["rest-secret-1", "rest-secret-2"],
            // Tests drive many requests from one address; SourceRequestRateTests turns the per-source rate on.
            RequestsPerSecondPerSource = 0,
        };
        configure?.Invoke(Options);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Metrics = new RelayMetrics(new StandaloneMeterFactory());
        var store = new ConfigurationCredentialStore(options);
        Engine = new RelayEngine(options, Time, credentials ?? store, 
            new PeerPolicy(Microsoft.Extensions.Options.Options.Create(new RelayOptions { AllowLoopbackPeers = Options.AllowLoopbackPeers, DenyPrivatePeers = Options.DenyPrivatePeers }),
                NullLogger<PeerPolicy>.Instance, policies),
            Sockets, [Sink], Metrics, NullLogger<RelayEngine>.Instance, policies, userHashResolver ?? (userHashes ? store : null), realms,
            listeners is null ? null : new RelaySelfAddresses(options, Time, () => listeners, () => []), alternates, clusterCounts);
        Endpoint = new TestDatagramEndpoint(ServerAddress);
        Engine.Start();
    }

    public RelayOptions Options { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public TestRelaySocketFactory Sockets { get; } = new();

    public RecordingEventSink Sink { get; } = new();

    public RelayMetrics Metrics { get; }

    public RelayEngine Engine { get; }

    public TestDatagramEndpoint Endpoint { get; }

    public TestClient NewClient(string user = User, string password = Password)
    {
        var address = TransportAddress.FromIPAddress(IPAddress.Parse("203.0.113.5"), (ushort)Interlocked.Increment(ref _nextClientPort));
        return new TestClient(Engine, Endpoint, address, user, password, Realm);
    }

    public TestClient NewStreamClient(out TestStreamConnection connection)
    {
        var address = TransportAddress.FromIPAddress(IPAddress.Parse("203.0.113.6"), (ushort)Interlocked.Increment(ref _nextClientPort));
        connection = new TestStreamConnection(address, ServerAddress);
        return new TestClient(Engine, connection, User, Password, Realm);
    }

    /// <summary>A client with an allocation (asserted successful).</summary>
    public TestClient Allocated(out StunResponse allocation)
    {
        var client = NewClient();
        allocation = client.Allocate();
        Assert.True(allocation.IsSuccess, $"Allocate failed: {allocation.ErrorCode}");
        return client;
    }

    public void Advance(TimeSpan by) => Time.Advance(by);

    public void Dispose()
    {
        Engine.Dispose();
        Metrics.Dispose();
    }
}
