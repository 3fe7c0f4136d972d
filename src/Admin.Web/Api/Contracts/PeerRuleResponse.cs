namespace Admin.Web.Api.Contracts;

/// <summary>
/// A peer rule; <paramref name="Realm"/> "" for a global rule; <paramref name="Kind"/> "allow" or "deny".
/// <paramref name="BuiltInDenials"/>: the relay's built-in denials the range overlaps (their reasons). For a global
/// allow rule these are the exceptions it makes; for a realm allow rule, the addresses where it has no effect (realm
/// rules never open a built-in denial). Empty for anything else.
/// </summary>
public sealed record PeerRuleResponse(string Realm, string Kind, string Range, IReadOnlyList<string> BuiltInDenials);
