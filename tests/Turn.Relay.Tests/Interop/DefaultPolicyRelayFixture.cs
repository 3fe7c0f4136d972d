using Turn.Relay.Seams;
using Turn.Relay.Tests.Support;
using Turnstone.TestSupport.Clients;
using Turnstone.TestSupport.Clients.Suites;

namespace Turn.Relay.Tests.Interop;

/// <summary>
/// The engine-only host for <see cref="PeerPolicySuite"/>: default peer settings (loopback NOT allowed) plus
/// operator rules from a policy store, listening on 127.0.0.1 and ::1.
/// </summary>
public sealed class DefaultPolicyRelayFixture : IAsyncLifetime, IPeerPolicyRelayFixture
{
    /// <summary>Global rule: TEST-NET-2 is denied.</summary>
    public const string DeniedByRule = "198.51.100.7";

    /// <summary>Global rule: one loopback address is allowed (a superuser's exception to the built-in denial).</summary>
    public const string AllowedByRule = "127.0.0.2";

    public InteropRelayHost Relay { get; private set; } = null!;

    public string Realm => InteropRelayHost.Realm;

    public string DeniedByGlobalRule => DeniedByRule;

    public string AllowedByGlobalException => AllowedByRule;

    public async Task InitializeAsync()
    {
        var policies = new TestRealmPolicyStore();
        policies.Policies[""] = RealmPolicy.Empty with { DeniedPeerRanges = ["198.51.100.0/24"], AllowedPeerRanges = [AllowedByRule] };
        // A realm admin's attempt to open loopback and link-local: the built-in denials stay (the suite checks it).
        policies.Policies[InteropRelayHost.Realm] = RealmPolicy.Empty with { AllowedPeerRanges = IPeerPolicyRelayFixture.RealmAllowRanges };
        Relay = await InteropRelayHost.StartAsync(allowLoopbackPeers: false, policyStore: policies, listenOnIPv6Loopback: true);
    }

    public TurnServerTarget Target(ClientTransport transport) => Relay.Target(transport);

    public TurnServerTarget IPv6Target(ClientTransport transport) => Relay.IPv6Target(transport);

    public async Task DisposeAsync()
    {
        if (Relay is not null)
        {
            await Relay.DisposeAsync();
        }
    }
}
