namespace Admin.Web.Components.Pages.PeerRules;

/// <summary>One line of the built-in refusals: ranges, why, and whether an allow rule can override it.</summary>
public sealed record BuiltInPeerDenial(string Ranges, string Reason, bool Always = false);
