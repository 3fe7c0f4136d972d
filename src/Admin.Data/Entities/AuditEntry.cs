namespace Admin.Data.Entities;

/// <summary>One change made by an admin. Never holds a password, key or secret.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The admin's name ("cli:root" for the command line, "system" for the server itself).</summary>
    public string Admin { get; set; } = "";

    /// <summary>Dotted action name, e.g. "user.add", "realm.delete".</summary>
    public string Action { get; set; } = "";

    /// <summary>What was changed, e.g. the user name or the peer range.</summary>
    public string Target { get; set; } = "";

    /// <summary>The realm affected; null for changes outside any realm.</summary>
    public string? Realm { get; set; }

    /// <summary>Before/after values where safe, as a JSON object (jsonb).</summary>
    public string? Details { get; set; }

    public string? ClientAddress { get; set; }
}
