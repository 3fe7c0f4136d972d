namespace Admin.Web.Api.Contracts;

/// <summary>A peer rule; <paramref name="Realm"/> "" for a global rule; <paramref name="Kind"/> "allow" or "deny".</summary>
public sealed record PeerRuleResponse(string Realm, string Kind, string Range);
