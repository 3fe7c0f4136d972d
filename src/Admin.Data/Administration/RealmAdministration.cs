using System.Globalization;
using Admin.Data.Entities;
using Admin.Data.Realms;
using Microsoft.EntityFrameworkCore;
using Turn.Relay.Seams;

namespace Admin.Data.Administration;

/// <summary>
/// Realms and their coturn options and origins. Each method is one transaction with one audit row;
/// refusals throw <see cref="AdminOperationException"/> with nothing changed.
/// Adding and deleting realms needs a superuser; a realm admin may edit their own realm.
/// </summary>
/// <param name="serverLimits">
/// The relay's own limits: a realm admin may not set a realm limit above a non-zero one (nor 0, unlimited). A superuser
/// may, and the relay caps the value at the server's anyway (useful where nodes are configured differently). Null (no
/// relay in this process) skips that check.
/// </param>
public sealed class RealmAdministration(IDbContextFactory<AdminDbContext> factory, AuditWriter audit, RealmDirectorySignal directory,
    TimeProvider timeProvider, IRelayLimits? serverLimits = null)
{
    public async Task<RealmInfo> AddAsync(AdminActor actor, string name, string? description, CancellationToken cancellationToken)
    {
        AdminTransaction.EnsureSuperuser(actor, "add realms");
        AdminValidation.Ensure(AdminValidation.CheckRealm(name), "realm");
        AdminValidation.Ensure(AdminValidation.CheckDescription(description), "description");
        var info = await AdminTransaction.RunAsync(factory, async db =>
        {
            if (await db.Realms.AnyAsync(r => r.Name == name, cancellationToken))
                throw new AdminOperationException(AdminErrorCode.Duplicate, $"Realm '{name}' already exists.", "realm");
            var now = timeProvider.GetUtcNow();
            var realm = new Realm { Name = name, Description = description ?? "", CreatedAt = now, UpdatedAt = now };
            db.Realms.Add(realm);
            audit.Add(db, actor, "realm.add", name, name, new { description = realm.Description });
            await db.SaveChangesAsync(cancellationToken);
            return ToInfo(realm);
        }, cancellationToken);
        directory.Notify();
        return info;
    }

    /// <summary>All realms the actor may see, by name.</summary>
    public async Task<IReadOnlyList<RealmInfo>> ListAsync(AdminActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.Realms.AsNoTracking();
        if (!actor.IsSuperuser) query = query.Where(r => r.Name == actor.Realm);
        var realms = await query.OrderBy(r => r.Name).ToListAsync(cancellationToken);
        return realms.Select(ToInfo).ToList();
    }

    /// <summary>The counts the actor may see: everything for a superuser, only their own realm's for a realm admin.</summary>
    public async Task<ConfigurationCounts> GetCountsAsync(AdminActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (actor.IsSuperuser)
        {
            return new ConfigurationCounts(
                await db.Realms.CountAsync(cancellationToken),
                await db.Users.CountAsync(cancellationToken),
                await db.Secrets.CountAsync(cancellationToken),
                await db.AdminUsers.CountAsync(cancellationToken));
        }
        var realm = actor.Realm!;
        return new ConfigurationCounts(
            await db.Realms.CountAsync(r => r.Name == realm, cancellationToken),
            await db.Users.CountAsync(u => u.Realm == realm, cancellationToken),
            await db.Secrets.CountAsync(s => s.Realm == realm, cancellationToken),
            await db.AdminUsers.CountAsync(a => a.Realm == realm, cancellationToken));
    }

    public async Task<RealmInfo> GetAsync(AdminActor actor, string name, CancellationToken cancellationToken)
    {
        AdminTransaction.EnsureRealmAccess(actor, name);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var realm = await db.Realms.AsNoTracking().SingleOrDefaultAsync(r => r.Name == name, cancellationToken)
            ?? throw NotFound(name);
        return ToInfo(realm);
    }

    /// <param name="expectedVersion">The version the editor loaded; null skips the concurrency check.</param>
    public Task<RealmInfo> UpdateDescriptionAsync(AdminActor actor, string name, string? description, uint? expectedVersion, CancellationToken cancellationToken)
    {
        AdminTransaction.EnsureRealmAccess(actor, name);
        AdminValidation.Ensure(AdminValidation.CheckDescription(description), "description");
        return AdminTransaction.RunAsync(factory, async db =>
        {
            var realm = await db.Realms.SingleOrDefaultAsync(r => r.Name == name, cancellationToken) ?? throw NotFound(name);
            if (expectedVersion is { } version) db.Entry(realm).Property(r => r.Version).OriginalValue = version;
            var before = realm.Description;
            realm.Description = description ?? "";
            realm.UpdatedAt = timeProvider.GetUtcNow();
            audit.Add(db, actor, "realm.update", name, name, new { before = new { description = before }, after = new { description = realm.Description } });
            await db.SaveChangesAsync(cancellationToken);
            return ToInfo(realm);
        }, cancellationToken);
    }

    /// <summary>How many rows deleting the realm would remove.</summary>
    public async Task<RealmImpact> GetImpactAsync(AdminActor actor, string name, CancellationToken cancellationToken)
    {
        AdminTransaction.EnsureRealmAccess(actor, name);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await CountAsync(db, name, cancellationToken);
    }

    /// <summary>Deletes the realm and everything in it (users, secrets, options, peer rules, origins, host names); returns what was removed.</summary>
    public async Task<RealmImpact> DeleteAsync(AdminActor actor, string name, CancellationToken cancellationToken)
    {
        AdminTransaction.EnsureSuperuser(actor, "delete realms");
        AdminValidation.Ensure(AdminValidation.CheckRealm(name), "realm");
        var impact = await AdminTransaction.RunAsync(factory, async db =>
        {
            var realm = await db.Realms.SingleOrDefaultAsync(r => r.Name == name, cancellationToken) ?? throw NotFound(name);
            var impact = new RealmImpact(
                await db.Users.Where(u => u.Realm == name).ExecuteDeleteAsync(cancellationToken),
                await db.Secrets.Where(s => s.Realm == name).ExecuteDeleteAsync(cancellationToken),
                await db.AllowedPeerIps.Where(r => r.Realm == name).ExecuteDeleteAsync(cancellationToken)
                    + await db.DeniedPeerIps.Where(r => r.Realm == name).ExecuteDeleteAsync(cancellationToken),
                await db.OriginsToRealms.Where(o => o.Realm == name).ExecuteDeleteAsync(cancellationToken),
                await db.RealmOptions.Where(o => o.Realm == name).ExecuteDeleteAsync(cancellationToken),
                await db.RealmHostNames.Where(h => h.Realm == name).ExecuteDeleteAsync(cancellationToken));
            db.Realms.Remove(realm);
            audit.Add(db, actor, "realm.delete", name, name, impact);
            return impact;
        }, cancellationToken);
        directory.Notify();
        return impact;
    }

    public async Task<RealmLimits> GetLimitsAsync(AdminActor actor, string name, CancellationToken cancellationToken)
    {
        AdminTransaction.EnsureRealmAccess(actor, name);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var options = await db.RealmOptions.AsNoTracking().Where(o => o.Realm == name).ToListAsync(cancellationToken);
        return RealmOptionValues.ToLimits(options);
    }

    /// <summary>Writes all three options: a null limit removes its turn_realm_option row (server default applies).</summary>
    public Task<RealmLimits> SetLimitsAsync(AdminActor actor, string name, RealmLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        AdminTransaction.EnsureRealmAccess(actor, name);
        AdminValidation.Ensure(AdminValidation.CheckLimit(limits.UserQuota, "user quota"), "userQuota");
        AdminValidation.Ensure(AdminValidation.CheckLimit(limits.TotalQuota, "total quota"), "totalQuota");
        AdminValidation.Ensure(AdminValidation.CheckLimit(limits.MaxBitsPerSecond, "maximum bit rate"), "maxBitsPerSecond");
        if (!actor.IsSuperuser && serverLimits is not null)
        {
            EnsureWithinServer(limits.UserQuota, serverLimits.UserQuota, "user quota", "Relay:UserQuota", "userQuota");
            EnsureWithinServer(limits.TotalQuota, serverLimits.TotalQuota, "total quota", "Relay:TotalQuota", "totalQuota");
            EnsureWithinServer(limits.MaxBitsPerSecond, serverLimits.MaxBitsPerSecond, "maximum bit rate", "Relay:MaxBitsPerSecond", "maxBitsPerSecond");
        }
        return AdminTransaction.RunAsync(factory, async db =>
        {
            await AdminTransaction.EnsureRealmExistsAsync(db, name, cancellationToken);
            var existing = await db.RealmOptions.Where(o => o.Realm == name).ToListAsync(cancellationToken);
            var before = RealmOptionValues.ToLimits(existing);
            Apply(db, existing, name, RealmOption.UserQuota, limits.UserQuota);
            Apply(db, existing, name, RealmOption.TotalQuota, limits.TotalQuota);
            Apply(db, existing, name, RealmOption.MaxBps, limits.MaxBitsPerSecond);
            audit.Add(db, actor, "realm.limits", name, name, new { before, after = limits });
            return limits;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListOriginsAsync(AdminActor actor, string realm, CancellationToken cancellationToken)
    {
        AdminTransaction.EnsureRealmAccess(actor, realm);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.OriginsToRealms.AsNoTracking().Where(o => o.Realm == realm).OrderBy(o => o.Origin).Select(o => o.Origin).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Maps an ORIGIN to the realm (coturn's turn_origin_to_realm; one realm per origin), stored in coturn's canonical
    /// form (<see cref="OriginSyntax"/>: "https://App.example.org" becomes "https://app.example.org:443"); returns it.
    /// Nobody can take an origin another realm has, whichever way it is written.
    /// </summary>
    public async Task<string> AddOriginAsync(AdminActor actor, string realm, string origin, CancellationToken cancellationToken)
    {
        AdminTransaction.EnsureRealmAccess(actor, realm);
        AdminValidation.Ensure(AdminValidation.CheckOrigin(origin), "origin");
        var canonical = OriginSyntax.Canonicalize(origin)!;
        await AdminTransaction.RunAsync(factory, async db =>
        {
            await AdminTransaction.EnsureRealmExistsAsync(db, realm, cancellationToken);
            // Rows written before canonical storage (or by hand) may hold another spelling of the same origin.
            var existing = (await db.OriginsToRealms.AsNoTracking().ToListAsync(cancellationToken))
                .FirstOrDefault(o => o.Origin == canonical || OriginSyntax.Canonicalize(o.Origin) == canonical);
            if (existing is not null)
            {
                // Do not reveal another realm's name to a realm admin.
                var owner = actor.IsSuperuser || existing.Realm == realm ? $"realm '{existing.Realm}'" : "another realm";
                throw new AdminOperationException(AdminErrorCode.Duplicate, $"Origin '{canonical}' is already mapped to {owner}.", "origin");
            }
            db.OriginsToRealms.Add(new OriginToRealm { Origin = canonical, Realm = realm });
            audit.Add(db, actor, "realm.origin.add", canonical, realm);
        }, cancellationToken);
        directory.Notify();
        return canonical;
    }

    /// <summary>Removes the origin as given or in its canonical form (rows written before canonical storage keep working).</summary>
    public async Task RemoveOriginAsync(AdminActor actor, string realm, string origin, CancellationToken cancellationToken)
    {
        AdminTransaction.EnsureRealmAccess(actor, realm);
        ArgumentNullException.ThrowIfNull(origin);
        var canonical = OriginSyntax.Canonicalize(origin) ?? origin;
        await AdminTransaction.RunAsync(factory, async db =>
        {
            var removed = await db.OriginsToRealms.Where(o => (o.Origin == origin || o.Origin == canonical) && o.Realm == realm).ExecuteDeleteAsync(cancellationToken);
            if (removed == 0)
                throw new AdminOperationException(AdminErrorCode.NotFound, $"Origin '{AdminValidation.Printable(origin)}' is not mapped to realm '{realm}'.", "origin");
            audit.Add(db, actor, "realm.origin.delete", origin, realm);
        }, cancellationToken);
        directory.Notify();
    }

    // A realm admin's limit can only be at or below the server's (0 on either side means unlimited).
    private static void EnsureWithinServer(long? value, long server, string what, string option, string field)
    {
        if (value is not { } requested || server == 0 || (requested != 0 && requested <= server)) return;
        var shown = requested == 0 ? "0 (unlimited)" : requested.ToString(CultureInfo.InvariantCulture);
        throw new AdminOperationException(AdminErrorCode.InvalidInput,
            $"The {what} {shown} is above the server's {option} of {server.ToString(CultureInfo.InvariantCulture)}; a realm admin can set at most that. "
            + "Leave it empty to use the server's.", field);
    }

    private static void Apply(AdminDbContext db, List<RealmOption> existing, string realm, string opt, long? value)
    {
        var row = existing.SingleOrDefault(o => o.Opt == opt);
        if (value is null)
        {
            if (row is not null) db.RealmOptions.Remove(row);
            return;
        }
        var text = value.Value.ToString(CultureInfo.InvariantCulture);
        if (row is null) db.RealmOptions.Add(new RealmOption { Realm = realm, Opt = opt, Value = text });
        else row.Value = text;
    }

    private static async Task<RealmImpact> CountAsync(AdminDbContext db, string name, CancellationToken cancellationToken) => new(
        await db.Users.CountAsync(u => u.Realm == name, cancellationToken),
        await db.Secrets.CountAsync(s => s.Realm == name, cancellationToken),
        await db.AllowedPeerIps.CountAsync(r => r.Realm == name, cancellationToken) + await db.DeniedPeerIps.CountAsync(r => r.Realm == name, cancellationToken),
        await db.OriginsToRealms.CountAsync(o => o.Realm == name, cancellationToken),
        await db.RealmOptions.CountAsync(o => o.Realm == name, cancellationToken),
        await db.RealmHostNames.CountAsync(h => h.Realm == name, cancellationToken));

    private static AdminOperationException NotFound(string name) =>
        new(AdminErrorCode.NotFound, $"Realm '{AdminValidation.Printable(name)}' does not exist.", "realm");

    private static RealmInfo ToInfo(Realm r) => new(r.Name, r.Description, r.CreatedAt, r.UpdatedAt, r.Version);
}
