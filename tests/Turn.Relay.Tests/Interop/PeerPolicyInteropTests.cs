using Turnstone.TestSupport.Clients.Suites;
using Xunit.Abstractions;

namespace Turn.Relay.Tests.Interop;

/// <summary>
/// CreatePermission and ChannelBind to dangerous peers get 403 with default settings, from real clients, against
/// Turnstone's engine with rules from a policy store (the shared <see cref="PeerPolicySuite"/>).
/// </summary>
[Trait("Category", "Interop")]
public sealed class PeerPolicyInteropTests(DefaultPolicyRelayFixture fixture, ITestOutputHelper output)
    : PeerPolicySuite(fixture, output), IClassFixture<DefaultPolicyRelayFixture>;
