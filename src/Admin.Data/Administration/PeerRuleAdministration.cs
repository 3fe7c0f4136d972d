using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Turn.Relay.Seams;

namespace Admin.Data.Administration;

/// <summary>
/// Peer allow/deny ranges (coturn's allowed_peer_ip / denied_peer_ip). Realm "" holds global rules, which only
/// superusers may change. Ranges are validated (<see cref="AdminValidation.CheckPeerRange"/>) and stored as written.
/// The relay's built-in denials (<paramref name="peerPolicy"/>) and the global deny rules are a floor no realm rule
/// lowers: a realm admin's allow rule that overlaps one is refused here with the reason (the relay would ignore it for
/// those addresses anyway). Only a superuser's global allow rule makes an exception to a built-in denial.
/// </summary>
/// <param name="peerPolicy">The relay's policy, for its built-in denials; null (no relay in this process) skips that check.</param>
public sealed class PeerRuleAdministration(IDbContextFactory<AdminDbContext> factory, AuditWriter audit, IPeerPolicy? peerPolicy = null)
{
    public Task<PeerRule> AddAsync(AdminActor actor, string realm, PeerRuleKind kind, string range, CancellationToken cancellationToken)
    {
        EnsureAccess(actor, realm);
        AdminValidation.Ensure(AdminValidation.CheckPeerRange(range), "range");
        var floorCheck = kind == PeerRuleKind.Allow && realm.Length > 0 && !actor.IsSuperuser;
        if (floorCheck) EnsureAboveBuiltInDenials(range);
        return AdminTransaction.RunAsync(factory, async db =>
        {
            if (realm.Length > 0) await AdminTransaction.EnsureRealmExistsAsync(db, realm, cancellationToken);
            if (floorCheck) await EnsureAboveGlobalDenialsAsync(db, range, cancellationToken);
            var exists = kind == PeerRuleKind.Allow
                ? await db.AllowedPeerIps.AnyAsync(r => r.Realm == realm && r.IpRange == range, cancellationToken)
                : await db.DeniedPeerIps.AnyAsync(r => r.Realm == realm && r.IpRange == range, cancellationToken);
            if (exists)
                throw new AdminOperationException(AdminErrorCode.Duplicate, $"The {Describe(kind)} rule '{range}' already exists {Scope(realm)}.", "range");
            if (kind == PeerRuleKind.Allow) db.AllowedPeerIps.Add(new AllowedPeerIp { Realm = realm, IpRange = range });
            else db.DeniedPeerIps.Add(new DeniedPeerIp { Realm = realm, IpRange = range });
            audit.Add(db, actor, kind == PeerRuleKind.Allow ? "peer.allow.add" : "peer.deny.add", range, realm.Length == 0 ? null : realm);
            return new PeerRule(realm, kind, range);
        }, cancellationToken);
    }

    /// <summary>
    /// Rules of one realm ("" = global), or with <paramref name="realm"/> null every rule the actor may see
    /// (a realm admin: global rules and their realm's).
    /// </summary>
    public async Task<IReadOnlyList<PeerRule>> ListAsync(AdminActor actor, string? realm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (realm is { Length: > 0 }) AdminTransaction.EnsureRealmAccess(actor, realm);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var allowed = db.AllowedPeerIps.AsNoTracking();
        var denied = db.DeniedPeerIps.AsNoTracking();
        if (realm is not null)
        {
            allowed = allowed.Where(r => r.Realm == realm);
            denied = denied.Where(r => r.Realm == realm);
        }
        else if (!actor.IsSuperuser)
        {
            allowed = allowed.Where(r => r.Realm == "" || r.Realm == actor.Realm);
            denied = denied.Where(r => r.Realm == "" || r.Realm == actor.Realm);
        }
        var rules = (await allowed.ToListAsync(cancellationToken)).Select(r => new PeerRule(r.Realm, PeerRuleKind.Allow, r.IpRange))
            .Concat((await denied.ToListAsync(cancellationToken)).Select(r => new PeerRule(r.Realm, PeerRuleKind.Deny, r.IpRange)));
        return rules.OrderBy(r => r.Realm, StringComparer.Ordinal).ThenBy(r => r.Kind).ThenBy(r => r.Range, StringComparer.Ordinal).ToList();
    }

    public Task DeleteAsync(AdminActor actor, string realm, PeerRuleKind kind, string range, CancellationToken cancellationToken)
    {
        EnsureAccess(actor, realm);
        return AdminTransaction.RunAsync(factory, async db =>
        {
            var removed = kind == PeerRuleKind.Allow
                ? await db.AllowedPeerIps.Where(r => r.Realm == realm && r.IpRange == range).ExecuteDeleteAsync(cancellationToken)
                : await db.DeniedPeerIps.Where(r => r.Realm == realm && r.IpRange == range).ExecuteDeleteAsync(cancellationToken);
            if (removed == 0)
                throw new AdminOperationException(AdminErrorCode.NotFound, $"There is no {Describe(kind)} rule '{AdminValidation.Printable(range)}' {Scope(realm)}.", "range");
            audit.Add(db, actor, kind == PeerRuleKind.Allow ? "peer.allow.delete" : "peer.deny.delete", range, realm.Length == 0 ? null : realm);
        }, cancellationToken);
    }

    /// <summary>
    /// The built-in denials a range overlaps: for a global allow rule, what it makes an exception to; for a realm allow
    /// rule, where it has no effect. Empty when the range overlaps none (or no relay policy is known).
    /// </summary>
    public IReadOnlyList<BuiltInPeerDenial> BuiltInDenialsOverlapping(string range)
    {
        if (peerPolicy is null || !PeerRangeBounds.TryParse(range, out var bounds)) return [];
        return peerPolicy.BuiltInDenials.Where(d => d.Ranges.Any(r => PeerRangeBounds.TryParse(r, out var denied) && denied.Overlaps(bounds))).ToList();
    }

    private void EnsureAboveBuiltInDenials(string range)
    {
        var overlapping = BuiltInDenialsOverlapping(range);
        if (overlapping.Count == 0) return;
        var what = string.Join("; ", overlapping.Select(d => $"{string.Join(", ", d.Ranges)} ({d.Reason})"));
        throw new AdminOperationException(AdminErrorCode.InvalidInput,
            $"The allow rule '{AdminValidation.Printable(range)}' overlaps the relay's built-in denials: {what}. A realm's allow rules cannot open "
            + "those addresses; only a superuser can make an exception, with a global allow rule. Allow a range outside them.", "range");
    }

    private static async Task EnsureAboveGlobalDenialsAsync(AdminDbContext db, string range, CancellationToken cancellationToken)
    {
        if (!PeerRangeBounds.TryParse(range, out var bounds)) return;
        var globalDenials = await db.DeniedPeerIps.AsNoTracking().Where(r => r.Realm == "").Select(r => r.IpRange).ToListAsync(cancellationToken);
        var overlapping = globalDenials.Where(d => PeerRangeBounds.TryParse(d, out var denied) && denied.Overlaps(bounds)).ToList();
        if (overlapping.Count == 0) return;
        throw new AdminOperationException(AdminErrorCode.InvalidInput,
            $"The allow rule '{AdminValidation.Printable(range)}' overlaps the global deny rules {string.Join(", ", overlapping.Select(AdminValidation.Printable))}, "
            + "which a realm's allow rules cannot override. Allow a range outside them, or ask a superuser.", "range");
    }

    private static void EnsureAccess(AdminActor actor, string realm)
    {
        ArgumentNullException.ThrowIfNull(realm);
        if (realm.Length == 0)
        {
            AdminTransaction.EnsureSuperuser(actor, "change global peer rules");
            return;
        }
        AdminTransaction.EnsureRealmAccess(actor, realm);
        AdminValidation.Ensure(AdminValidation.CheckRealm(realm), "realm");
    }

    private static string Describe(PeerRuleKind kind) => kind == PeerRuleKind.Allow ? "allow" : "deny";

    private static string Scope(string realm) => realm.Length == 0 ? "globally" : $"in realm '{realm}'";
}
