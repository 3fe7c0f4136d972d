namespace Turnstone.TestSupport.Clients.Suites;

/// <summary>
/// A server for <see cref="PeerPolicySuite"/>: default peer settings (loopback peers NOT allowed) plus two operator
/// rules, a global deny and a realm allow, each made the way that host takes rules.
/// </summary>
public interface IPeerPolicyRelayFixture : IRelayUnderTest
{
    /// <summary>An otherwise public address inside a global deny rule.</summary>
    string DeniedByGlobalRule { get; }

    /// <summary>A loopback address the suite user's realm allows explicitly (allow wins over the defaults).</summary>
    string AllowedByRealmRule { get; }
}
