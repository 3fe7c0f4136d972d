using Admin.Data.Administration;
using Admin.Data.Entities;
using Admin.Data.Realms;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Admin.Data.Import.Coturn;

/// <summary>
/// Writes a <see cref="CoturnImportPlan"/> into Turnstone's tables (coturn's own layout) in one transaction with one
/// audit row ("import.coturn", counts only, never a key or secret). A dry run does the same work and rolls it back, so
/// its report says exactly what an apply would do. Items already present as coturn has them are left alone, so a second
/// run changes nothing. Superusers only: it touches every realm and the admin accounts.
/// </summary>
public sealed class CoturnImporter(IDbContextFactory<AdminDbContext> factory, AuditWriter audit, RealmDirectorySignal directory, TimeProvider timeProvider)
{
    public const string ImportedRealmDescription = "imported from coturn";

    public async Task<CoturnImportResult> ImportAsync(AdminActor actor, CoturnImportPlan plan, bool apply, string sourceDescription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        AdminTransaction.EnsureSuperuser(actor, "import from coturn");
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changes = new List<ImportChange>();
        try
        {
            var now = timeProvider.GetUtcNow();
            await RealmsAsync(db, plan, changes, now, cancellationToken);
            // Realms first: the realm-scoped rows below reference them.
            await db.SaveChangesAsync(cancellationToken);
            await UsersAsync(db, plan, changes, now, cancellationToken);
            await SecretsAsync(db, plan, changes, cancellationToken);
            await OptionsAsync(db, plan, changes, cancellationToken);
            await OriginsAsync(db, plan, changes, cancellationToken);
            await PeerRulesAsync(db, plan, changes, cancellationToken);
            await AdminsAsync(db, plan, changes, now, cancellationToken);
            var result = new CoturnImportResult(apply, changes);
            if (!result.Unchanged)
            {
                audit.Add(db, actor, "import.coturn", sourceDescription, null, CoturnImportResult.Categories.ToDictionary(c => c, c => new
                {
                    added = result.Count(c, ImportOutcome.Added),
                    updated = result.Count(c, ImportOutcome.Updated),
                    unchanged = result.Count(c, ImportOutcome.Unchanged),
                }));
            }
            await db.SaveChangesAsync(cancellationToken);
            if (apply) await transaction.CommitAsync(cancellationToken);
            else await transaction.RollbackAsync(cancellationToken);
            if (apply && changes.Any(c => c.Outcome != ImportOutcome.Unchanged && c.Category is "realms" or "origins")) directory.Notify();
            return result;
        }
        catch (DbUpdateException e)
        {
            throw new CoturnImportFailedException($"the database refused the import ({e.InnerException?.Message ?? e.Message}); nothing was saved", e);
        }
        catch (PostgresException e)
        {
            throw new CoturnImportFailedException($"the database refused the import ({e.Message}); nothing was saved", e);
        }
    }

    private static async Task RealmsAsync(AdminDbContext db, CoturnImportPlan plan, List<ImportChange> changes, DateTimeOffset now, CancellationToken ct)
    {
        var names = plan.Realms.ToList();
        var existing = (await db.Realms.Where(r => names.Contains(r.Name)).Select(r => r.Name).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var known = existing.Contains(name);
            if (!known) db.Realms.Add(new Realm { Name = name, Description = ImportedRealmDescription, CreatedAt = now, UpdatedAt = now });
            changes.Add(new ImportChange("realms", name, known ? ImportOutcome.Unchanged : ImportOutcome.Added, "realm names in the coturn files"));
        }
    }

    private static async Task UsersAsync(AdminDbContext db, CoturnImportPlan plan, List<ImportChange> changes, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var group in plan.Users.GroupBy(u => u.Realm))
        {
            var realm = group.Key;
            var existing = new Dictionary<string, TurnUser>(StringComparer.Ordinal);
            foreach (var chunk in group.Select(u => u.Name).Chunk(5_000))
                foreach (var user in await db.Users.Where(u => u.Realm == realm && chunk.Contains(u.Name)).ToListAsync(ct))
                    existing[user.Name] = user;
            foreach (var user in group)
            {
                ImportOutcome outcome;
                if (!existing.TryGetValue(user.Name, out var row))
                {
                    db.Users.Add(new TurnUser { Realm = realm, Name = user.Name, HmacKey = user.HmacKey, CreatedAt = now, UpdatedAt = now });
                    outcome = ImportOutcome.Added;
                }
                else if (!string.Equals(row.HmacKey?.Trim(), user.HmacKey, StringComparison.OrdinalIgnoreCase))
                {
                    row.HmacKey = user.HmacKey;
                    row.UpdatedAt = now;
                    outcome = ImportOutcome.Updated;
                }
                else outcome = ImportOutcome.Unchanged;
                changes.Add(new ImportChange("users", $"{user.Name}@{realm}", outcome, user.Source));
            }
        }
    }

    private static async Task SecretsAsync(AdminDbContext db, CoturnImportPlan plan, List<ImportChange> changes, CancellationToken ct)
    {
        var realms = plan.Secrets.Select(s => s.Realm).Distinct().ToList();
        var existing = (await db.Secrets.Where(s => realms.Contains(s.Realm)).Select(s => new { s.Realm, s.Value }).ToListAsync(ct))
            .Select(s => (s.Realm, s.Value)).ToHashSet();
        foreach (var secret in plan.Secrets)
        {
            var known = existing.Contains((secret.Realm, secret.Value));
            if (!known) db.Secrets.Add(new TurnSecret { Realm = secret.Realm, Value = secret.Value });
            // Secrets are named by fingerprint only, here as in the audit log.
            changes.Add(new ImportChange("secrets", $"{AuditWriter.Fingerprint(secret.Value)}@{secret.Realm}", known ? ImportOutcome.Unchanged : ImportOutcome.Added, secret.Source));
        }
    }

    private static async Task OptionsAsync(AdminDbContext db, CoturnImportPlan plan, List<ImportChange> changes, CancellationToken ct)
    {
        var realms = plan.RealmOptions.Select(o => o.Realm).Distinct().ToList();
        var existing = await db.RealmOptions.Where(o => realms.Contains(o.Realm)).ToListAsync(ct);
        foreach (var option in plan.RealmOptions)
        {
            var row = existing.Find(o => o.Realm == option.Realm && o.Opt == option.Opt);
            ImportOutcome outcome;
            if (row is null)
            {
                db.RealmOptions.Add(new RealmOption { Realm = option.Realm, Opt = option.Opt, Value = option.Value });
                outcome = ImportOutcome.Added;
            }
            else if (row.Value?.Trim() != option.Value)
            {
                row.Value = option.Value;
                outcome = ImportOutcome.Updated;
            }
            else outcome = ImportOutcome.Unchanged;
            changes.Add(new ImportChange("realm options", $"{option.Opt}={option.Value}@{option.Realm}", outcome, option.Source));
        }
    }

    private static async Task OriginsAsync(AdminDbContext db, CoturnImportPlan plan, List<ImportChange> changes, CancellationToken ct)
    {
        if (plan.Origins.Count == 0) return;
        // Few rows; compared in canonical form, as RealmAdministration does (rows may predate canonical storage).
        var existing = await db.OriginsToRealms.ToListAsync(ct);
        foreach (var origin in plan.Origins)
        {
            var row = existing.Find(o => o.Origin == origin.Origin || OriginSyntax.Canonicalize(o.Origin) == origin.Origin);
            ImportOutcome outcome;
            if (row is null)
            {
                db.OriginsToRealms.Add(new OriginToRealm { Origin = origin.Origin, Realm = origin.Realm });
                outcome = ImportOutcome.Added;
            }
            else if (row.Realm != origin.Realm)
            {
                row.Realm = origin.Realm;
                outcome = ImportOutcome.Updated;
            }
            else outcome = ImportOutcome.Unchanged;
            changes.Add(new ImportChange("origins", $"{origin.Origin} -> {origin.Realm}", outcome, origin.Source));
        }
    }

    private static async Task PeerRulesAsync(AdminDbContext db, CoturnImportPlan plan, List<ImportChange> changes, CancellationToken ct)
    {
        if (plan.PeerRules.Count == 0) return;
        var allowed = (await db.AllowedPeerIps.Select(r => new { r.Realm, r.IpRange }).ToListAsync(ct)).Select(r => (r.Realm, r.IpRange)).ToHashSet();
        var denied = (await db.DeniedPeerIps.Select(r => new { r.Realm, r.IpRange }).ToListAsync(ct)).Select(r => (r.Realm, r.IpRange)).ToHashSet();
        foreach (var rule in plan.PeerRules)
        {
            var allow = rule.Kind == PeerRuleKind.Allow;
            var known = (allow ? allowed : denied).Contains((rule.Realm, rule.Range));
            if (!known && allow) db.AllowedPeerIps.Add(new AllowedPeerIp { Realm = rule.Realm, IpRange = rule.Range });
            else if (!known) db.DeniedPeerIps.Add(new DeniedPeerIp { Realm = rule.Realm, IpRange = rule.Range });
            var scope = rule.Realm.Length == 0 ? "global" : rule.Realm;
            changes.Add(new ImportChange("peer rules", $"{(allow ? "allow" : "deny")} {rule.Range} ({scope})", known ? ImportOutcome.Unchanged : ImportOutcome.Added, rule.Source));
        }
    }

    private static async Task AdminsAsync(AdminDbContext db, CoturnImportPlan plan, List<ImportChange> changes, DateTimeOffset now, CancellationToken ct)
    {
        var names = plan.Admins.Select(a => a.Name).ToList();
        var existing = await db.AdminUsers.Where(a => names.Contains(a.Name)).ToListAsync(ct);
        foreach (var admin in plan.Admins)
        {
            var row = existing.Find(a => a.Name == admin.Name);
            ImportOutcome outcome;
            if (row is null)
            {
                db.AdminUsers.Add(new AdminUser { Name = admin.Name, Realm = admin.Realm, Password = admin.PasswordHash, CreatedAt = now, UpdatedAt = now });
                outcome = ImportOutcome.Added;
            }
            // An admin Turnstone already has keeps its password and realm: sign-in rehashes "$5$" hashes, and an
            // operator may have changed either since; the import never overwrites an account.
            else outcome = ImportOutcome.Unchanged;
            changes.Add(new ImportChange("admins", admin.Realm.Length == 0 ? $"{admin.Name} (superuser)" : $"{admin.Name} ({admin.Realm})", outcome, admin.Source));
        }
    }
}
