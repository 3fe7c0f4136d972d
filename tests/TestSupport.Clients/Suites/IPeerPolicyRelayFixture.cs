namespace Turnstone.TestSupport.Clients.Suites;

/// <summary>
/// A server for <see cref="PeerPolicySuite"/>: default peer settings (loopback peers NOT allowed) plus operator rules,
/// each made the way that host takes rules: a global deny, a global allow (a superuser's exception to the built-in
/// loopback denial), and realm allow rules for <see cref="RealmAllowRanges"/>, which must change nothing (issue 13:
/// a realm's allow rules cannot open what the built-in denials refuse).
/// </summary>
public interface IPeerPolicyRelayFixture : IRelayUnderTest
{
    /// <summary>The realm allow rules the host holds for the suite user's realm: loopback and link-local.</summary>
    public static readonly string[] RealmAllowRanges = ["127.0.0.0/8", "169.254.0.0/16"];

    /// <summary>An otherwise public address inside a global deny rule.</summary>
    string DeniedByGlobalRule { get; }

    /// <summary>A loopback address a global allow rule opens: a superuser's exception to the built-in denial.</summary>
    string AllowedByGlobalException { get; }
}
