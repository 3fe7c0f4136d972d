namespace Admin.Web.Api.Contracts;

/// <param name="Kind">"allow" or "deny".</param>
/// <param name="Range">A single address, a CIDR block or "a-b", as coturn writes them.</param>
public sealed record PeerRuleRequest(string? Kind, string? Range);
