namespace Admin.Data.Entities;

/// <summary>A TURN REST API shared secret: coturn's turn_secret (realm, value).</summary>
public sealed class TurnSecret
{
    public string Realm { get; set; } = "";

    public string Value { get; set; } = "";

    /// <summary>
    /// When it was added (Turnstone's column, default now() so coturn's INSERTs keep working): credential vending
    /// signs with the newest secret, so adding one rotates without deleting the old one first.
    /// </summary>
    public DateTimeOffset CreatedAt { get; set; }
}
