namespace Admin.Data.Import.Coturn;

/// <summary>An ORIGIN to realm mapping to write, in coturn's canonical form (turn_origin_to_realm).</summary>
public sealed record ImportedOrigin(string Origin, string Realm, string Source);
