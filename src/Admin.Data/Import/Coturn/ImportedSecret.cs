namespace Admin.Data.Import.Coturn;

/// <summary>A TURN REST shared secret to write (turn_secret).</summary>
public sealed record ImportedSecret(string Realm, string Value, string Source);
