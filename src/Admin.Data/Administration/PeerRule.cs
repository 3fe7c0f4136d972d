namespace Admin.Data.Administration;

/// <summary>A peer rule; <paramref name="Realm"/> "" is global (applies to every realm).</summary>
public sealed record PeerRule(string Realm, PeerRuleKind Kind, string Range);
