namespace Turn.Relay.Seams;

/// <summary>
/// One group of peer addresses a peer policy refuses with no rule configured (see <see cref="IPeerPolicy.BuiltInDenials"/>).
/// </summary>
/// <param name="Ranges">Addresses and CIDR blocks, in the form peer rules are written.</param>
/// <param name="Reason">Why, fit to show an operator as is (names the option that controls it, if any).</param>
/// <param name="AllowRuleOverrides">
/// True when a global (realm "") allow rule, which only a superuser can write, can make an exception for these addresses;
/// false when no rule can. A realm's allow rules never open a built-in denial.
/// </param>
public sealed record BuiltInPeerDenial(IReadOnlyList<string> Ranges, string Reason, bool AllowRuleOverrides);
