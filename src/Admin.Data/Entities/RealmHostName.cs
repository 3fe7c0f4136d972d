namespace Admin.Data.Entities;

/// <summary>
/// A DNS name clients use to reach one realm (turnstone_realm_host_name): the relay offers that realm to a TLS client
/// whose SNI names it, and credential vending puts it in the realm's turn:/turns: URLs. Lower case, no trailing dot.
/// </summary>
public sealed class RealmHostName
{
    public string HostName { get; set; } = "";

    public string Realm { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
