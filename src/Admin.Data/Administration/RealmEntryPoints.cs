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

    /// <summary>Every realm's host names the actor may see (realm → names), for pages that list all realms.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ListAllHostNamesAsync(AdminActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.RealmHostNames.AsNoTracking();
        if (!actor.IsSuperuser) query = query.Where(h => h.Realm == actor.Realm);
        var rows = await query.OrderBy(h => h.HostName).Select(h => new { h.Realm, h.HostName }).ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.Realm, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(r => r.HostName).ToList(), StringComparer.Ordinal);
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
