using Turn.Relay.Seams;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests.Interop;

/// <summary>A relay with default peer settings (loopback NOT allowed) plus a few operator rules.</summary>
public sealed class DefaultPolicyRelayFixture : IAsyncLifetime
{
    /// <summary>Global rule: TEST-NET-2 is denied.</summary>
    public const string DeniedByRule = "198.51.100.7";

    /// <summary>Realm rule: one loopback address is allowed (allow wins over the defaults).</summary>
    public const string AllowedByRealmRule = "127.0.0.2";

    public InteropRelayHost Relay { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var policies = new TestRealmPolicyStore();
        policies.Policies[""] = RealmPolicy.Empty with { DeniedPeerRanges = ["198.51.100.0/24"] };
        policies.Policies[InteropRelayHost.Realm] = RealmPolicy.Empty with { AllowedPeerRanges = [AllowedByRealmRule] };
        Relay = await InteropRelayHost.StartAsync(allowLoopbackPeers: false, policyStore: policies);
    }

    public async Task DisposeAsync()
    {
        if (Relay is not null)
        {
            await Relay.DisposeAsync();
        }
    }
}
