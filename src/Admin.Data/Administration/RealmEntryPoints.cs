using Admin.Data.Entities;
using Admin.Data.Realms;
using Microsoft.EntityFrameworkCore;

namespace Admin.Data.Administration;

/// <summary>
/// A realm's host names (turnstone_realm_host_name): the DNS names its clients reach it by (TLS SNI picks the realm,
/// vended URLs name them). One transaction and one audit row per change. A realm admin edits only their own realm,
/// and nobody can take a host name another realm lists (checked here with an answer that does not name the other
/// realm to a realm admin; the primary key decides a race). Origins stay in <see cref="RealmAdministration"/>.
/// </summary>
public sealed class RealmEntryPoints(IDbContextFactory<AdminDbContext> factory, AuditWriter audit, RealmDirectorySignal directory, TimeProvider timeProvider)
{
    public async Task<IReadOnlyList<string>> ListHostNamesAsync(AdminActor actor, string realm, CancellationToken cancellationToken)
    {
        AdminTransaction.EnsureRealmAccess(actor, realm);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.RealmHostNames.AsNoTracking().Where(h => h.Realm == realm).OrderBy(h => h.HostName)
            .Select(h => h.HostName).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// For each registered realm the actor may see: its users and secrets, and its origins and host names, in four
    /// grouped queries (user totals from the trigger-kept turnstone_realm_user_count, never a scan of the users).
    /// </summary>
    public async Task<IReadOnlyList<RealmEntryPointSummary>> SummarizeAsync(AdminActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var scope = actor.IsSuperuser ? null : actor.Realm;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var realms = await db.Realms.AsNoTracking().Where(r => scope == null || r.Name == scope).OrderBy(r => r.Name).Select(r => r.Name).ToListAsync(cancellationToken);
        var users = (await db.Database.SqlQuery<RealmCount>($"SELECT realm AS \"Realm\", users AS \"Count\" FROM turnstone_realm_user_count")
            .ToListAsync(cancellationToken)).ToDictionary(c => c.Realm, c => c.Count, StringComparer.Ordinal);
        var secrets = await db.Secrets.AsNoTracking().Where(s => scope == null || s.Realm == scope).GroupBy(s => s.Realm)
            .Select(g => new { Realm = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Realm, g => g.Count, StringComparer.Ordinal, cancellationToken);
        var origins = (await db.OriginsToRealms.AsNoTracking().Where(o => o.Realm != null && (scope == null || o.Realm == scope)).OrderBy(o => o.Origin)
            .ToListAsync(cancellationToken)).ToLookup(o => o.Realm!, o => o.Origin, StringComparer.Ordinal);
        var hostNames = (await db.RealmHostNames.AsNoTracking().Where(h => scope == null || h.Realm == scope).OrderBy(h => h.HostName)
            .ToListAsync(cancellationToken)).ToLookup(h => h.Realm, h => h.HostName, StringComparer.Ordinal);
        return realms.Select(r => new RealmEntryPointSummary(r, users.GetValueOrDefault(r), secrets.GetValueOrDefault(r),
            origins[r].ToList(), hostNames[r].ToList())).ToList();
    }

    /// <summary>Adds a host name to the realm; returns it as stored (lower case, no trailing dot).</summary>
    public async Task<string> AddHostNameAsync(AdminActor actor, string realm, string hostName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hostName);
        AdminTransaction.EnsureRealmAccess(actor, realm);
        var normalized = HostNameSyntax.Normalize(hostName);
        AdminValidation.Ensure(HostNameSyntax.Check(normalized), "hostName");
        await AdminTransaction.RunAsync(factory, async db =>
        {
            await AdminTransaction.EnsureRealmExistsAsync(db, realm, cancellationToken);
            var existing = await db.RealmHostNames.AsNoTracking().SingleOrDefaultAsync(h => h.HostName == normalized, cancellationToken);
            if (existing is not null)
            {
                // Do not reveal another realm's name to a realm admin.
                var owner = actor.IsSuperuser || existing.Realm == realm ? $"realm '{existing.Realm}'" : "another realm";
                throw new AdminOperationException(AdminErrorCode.Duplicate, $"Host name '{normalized}' is already listed by {owner}.", "hostName");
            }
            db.RealmHostNames.Add(new RealmHostName { HostName = normalized, Realm = realm, CreatedAt = timeProvider.GetUtcNow() });
            audit.Add(db, actor, "realm.hostname.add", normalized, realm);
        }, cancellationToken);
        directory.Notify();
        return normalized;
    }

    public async Task RemoveHostNameAsync(AdminActor actor, string realm, string hostName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hostName);
        AdminTransaction.EnsureRealmAccess(actor, realm);
        var normalized = HostNameSyntax.Normalize(hostName);
        await AdminTransaction.RunAsync(factory, async db =>
        {
            var removed = await db.RealmHostNames.Where(h => h.HostName == normalized && h.Realm == realm).ExecuteDeleteAsync(cancellationToken);
            if (removed == 0)
                throw new AdminOperationException(AdminErrorCode.NotFound, $"Host name '{AdminValidation.Printable(normalized)}' is not listed by realm '{realm}'.", "hostName");
            audit.Add(db, actor, "realm.hostname.delete", normalized, realm);
        }, cancellationToken);
        directory.Notify();
    }
}
