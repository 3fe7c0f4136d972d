using System.Security.Cryptography;
using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Admin.Data.Administration;

/// <summary>
/// TURN REST API shared secrets (coturn's turn_secret); several per realm for rotation. The audit log names
/// secrets only by fingerprint. Refusals throw <see cref="AdminOperationException"/> with nothing changed.
/// </summary>
public sealed class SecretAdministration(IDbContextFactory<AdminDbContext> factory, AuditWriter audit)
{
    /// <summary>Random bytes in a generated secret (256 bits), written as 43 base64url characters.</summary>
    public const int GeneratedSecretBytes = 32;

    public Task<SecretInfo> AddAsync(AdminActor actor, string realm, string value, CancellationToken cancellationToken)
    {
        AdminTransaction.EnsureRealmAccess(actor, realm);
        AdminValidation.Ensure(AdminValidation.CheckRealm(realm), "realm");
        AdminValidation.Ensure(AdminValidation.CheckSecret(value), "secret");
        return AdminTransaction.RunAsync(factory, async db =>
        {
            await AdminTransaction.EnsureRealmExistsAsync(db, realm, cancellationToken);
            if (await db.Secrets.AnyAsync(s => s.Realm == realm && s.Value == value, cancellationToken))
                throw new AdminOperationException(AdminErrorCode.Duplicate, $"This secret already exists in realm '{realm}'.", "secret");
            db.Secrets.Add(new TurnSecret { Realm = realm, Value = value });
            var info = ToInfo(realm, value);
            audit.Add(db, actor, "secret.add", info.Fingerprint, realm);
            return info;
        }, cancellationToken);
    }

    /// <summary>Adds a new strong random secret and returns it (the only time the caller needs to copy it).</summary>
    public Task<SecretInfo> GenerateAsync(AdminActor actor, string realm, CancellationToken cancellationToken) =>
        AddAsync(actor, realm, GenerateValue(), cancellationToken);

    /// <summary>A new random secret: 256 bits from the system CSPRNG, base64url without padding.</summary>
    public static string GenerateValue() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(GeneratedSecretBytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async Task<IReadOnlyList<SecretInfo>> ListAsync(AdminActor actor, string realm, CancellationToken cancellationToken)
    {
        AdminTransaction.EnsureRealmAccess(actor, realm);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var values = await db.Secrets.AsNoTracking().Where(s => s.Realm == realm).OrderBy(s => s.Value).Select(s => s.Value).ToListAsync(cancellationToken);
        return values.Select(v => ToInfo(realm, v)).ToList();
    }

    /// <summary>
    /// The secret new ephemeral credentials are signed with: the realm's newest (so adding a secret rotates, and the
    /// older ones keep validating credentials already handed out until they are deleted). Not audited: the caller
    /// (credential vending) never reveals it.
    /// </summary>
    /// <exception cref="AdminOperationException">NotFound when the realm does not exist; Conflict when it has no secret.</exception>
    public async Task<SecretInfo> GetSigningSecretAsync(AdminActor actor, string realm, CancellationToken cancellationToken)
    {
        AdminTransaction.EnsureRealmAccess(actor, realm);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var value = await db.Secrets.AsNoTracking().Where(s => s.Realm == realm)
            .OrderByDescending(s => s.CreatedAt).ThenBy(s => s.Value).Select(s => s.Value).FirstOrDefaultAsync(cancellationToken);
        if (value is not null) return ToInfo(realm, value);
        await AdminTransaction.EnsureRealmExistsAsync(db, realm, cancellationToken);
        throw new AdminOperationException(AdminErrorCode.Conflict,
            $"Realm '{AdminValidation.Printable(realm)}' has no shared secret to sign credentials with. Add or generate one first.", "realm");
    }

    /// <summary>Deletes a secret given by its value or by its fingerprint (as lists show it).</summary>
    public Task DeleteAsync(AdminActor actor, string realm, string valueOrFingerprint, CancellationToken cancellationToken)
    {
        AdminTransaction.EnsureRealmAccess(actor, realm);
        return AdminTransaction.RunAsync(factory, async db =>
        {
            var values = await db.Secrets.Where(s => s.Realm == realm).Select(s => s.Value).ToListAsync(cancellationToken);
            var matches = values.Where(v => v == valueOrFingerprint).ToList();
            if (matches.Count == 0) matches = values.Where(v => AuditWriter.Fingerprint(v) == valueOrFingerprint).ToList();
            if (matches.Count == 0)
                throw new AdminOperationException(AdminErrorCode.NotFound, $"No such secret in realm '{AdminValidation.Printable(realm)}'.", "secret");
            if (matches.Count > 1)
                throw new AdminOperationException(AdminErrorCode.InvalidInput, "Several secrets have this fingerprint; give the secret itself.", "secret");
            var value = matches[0];
            await db.Secrets.Where(s => s.Realm == realm && s.Value == value).ExecuteDeleteAsync(cancellationToken);
            audit.Add(db, actor, "secret.delete", AuditWriter.Fingerprint(value), realm);
        }, cancellationToken);
    }

    private static SecretInfo ToInfo(string realm, string value) => new(realm, value, AuditWriter.Fingerprint(value));
}
