using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Admin.Data.Entities;

namespace Admin.Data.Administration;

/// <summary>
/// Adds audit rows to the caller's DbContext, so they commit (or roll back) with the change they describe.
/// Callers pass only safe details: never a password, key or secret (secrets appear as fingerprints).
/// </summary>
public sealed class AuditWriter(TimeProvider timeProvider)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public void Add(AdminDbContext db, AdminActor actor, string action, string target, string? realm, object? details = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        db.AuditLog.Add(new AuditEntry
        {
            At = timeProvider.GetUtcNow(),
            Admin = Truncate(actor.Name, 64),
            Action = action,
            Target = Truncate(target, 1024),
            Realm = realm,
            Details = details is null ? null : Details(details),
            ClientAddress = actor.ClientAddress is null ? null : Truncate(actor.ClientAddress, 128),
        });
    }

    /// <summary>The details column's JSON, as every audit row writes it.</summary>
    internal static string Details(object details) => JsonSerializer.Serialize(details, JsonOptions);

    /// <summary>A non-reversible identifier of a secret: the first 12 hex digits of its SHA-256.</summary>
    public static string Fingerprint(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))[..12];

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
