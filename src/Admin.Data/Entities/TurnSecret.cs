namespace Admin.Data.Entities;

/// <summary>A TURN REST API shared secret: coturn's turn_secret (realm, value).</summary>
public sealed class TurnSecret
{
    public string Realm { get; set; } = "";

    public string Value { get; set; } = "";
}
