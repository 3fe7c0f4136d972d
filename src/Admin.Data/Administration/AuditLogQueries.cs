using Microsoft.EntityFrameworkCore;

namespace Admin.Data.Administration;

/// <summary>
/// Reads the audit log, newest first, with server-side filtering and paging. A realm admin sees only rows of
/// their own realm (and asking for another realm is refused).
/// </summary>
public sealed class AuditLogQueries(IDbContextFactory<AdminDbContext> factory)
{
    public const int MaxPageSize = 1000;

    public async Task<PagedResult<AuditRecord>> ListAsync(AdminActor actor, AuditQuery query, int skip, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(query);
        if (skip < 0) throw new AdminOperationException(AdminErrorCode.InvalidInput, "The page offset must be zero or more.", "skip");
        if (take is < 1 or > MaxPageSize) throw new AdminOperationException(AdminErrorCode.InvalidInput, $"The page size must be 1 to {MaxPageSize}.", "take");
        if (query.Realm is not null) AdminTransaction.EnsureRealmAccess(actor, query.Realm);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = db.AuditLog.AsNoTracking();
        var realm = actor.IsSuperuser ? query.Realm : actor.Realm;
        if (realm is not null) rows = rows.Where(a => a.Realm == realm);
        if (query.Admin is not null) rows = rows.Where(a => a.Admin == query.Admin);
        if (query.Action is not null) rows = rows.Where(a => a.Action == query.Action);
        if (query.From is { } from) rows = rows.Where(a => a.At >= from);
        if (query.To is { } to) rows = rows.Where(a => a.At < to);
        var total = await rows.CountAsync(cancellationToken);
        var items = await rows.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Skip(skip).Take(take)
            .Select(a => new AuditRecord(a.Id, a.At, a.Admin, a.Action, a.Target, a.Realm, a.Details, a.ClientAddress))
            .ToListAsync(cancellationToken);
        return new PagedResult<AuditRecord>(items, total);
    }
}
