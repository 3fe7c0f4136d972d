namespace Admin.Data.Import.Coturn;

/// <summary>A realm option to write (turn_realm_option: user-quota, total-quota or max-bps).</summary>
public sealed record ImportedRealmOption(string Realm, string Opt, string Value, string Source);
