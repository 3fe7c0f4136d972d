using Admin.Data.Administration;
using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Admin.Data.Usage;

/// <summary>
/// Per-minute usage in turnstone_usage_minute. Each relay node writes, for every (minute, realm, user) it served,
/// its running totals for that minute; writing the same key again replaces the row. So a retried write never
/// counts twice, a late flush just updates the minute, and nodes sharing the database never collide
/// (the node is part of the key). Reads sum over nodes.
/// </summary>
public sealed class UsageRollups(NpgsqlDataSource dataSource, IDbContextFactory<AdminDbContext> factory)
{
    /// <summary>Upserts the rows in one statement. Minutes must be whole UTC minutes.</summary>
    public async Task WriteAsync(IReadOnlyCollection<UsageMinute> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) return;
        foreach (var row in rows)
        {
            if (row.Minute.Offset != TimeSpan.Zero || row.Minute.Ticks % TimeSpan.TicksPerMinute != 0)
                throw new ArgumentException($"Usage minute {row.Minute:O} is not a whole UTC minute.", nameof(rows));
        }
        await using var command = dataSource.CreateCommand("""
            INSERT INTO turnstone_usage_minute (minute, node, realm, name, bytes_in, bytes_out, packets_in, packets_out, allocation_seconds)
            SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (minute, node, realm, name) DO UPDATE SET
                bytes_in = EXCLUDED.bytes_in, bytes_out = EXCLUDED.bytes_out,
                packets_in = EXCLUDED.packets_in, packets_out = EXCLUDED.packets_out,
                allocation_seconds = EXCLUDED.allocation_seconds
            """);
        Add(command, rows.Select(r => r.Minute.UtcDateTime).ToArray(), NpgsqlDbType.TimestampTz);
        Add(command, rows.Select(r => r.Node).ToArray(), NpgsqlDbType.Varchar);
        Add(command, rows.Select(r => r.Realm).ToArray(), NpgsqlDbType.Varchar);
        Add(command, rows.Select(r => r.Name).ToArray(), NpgsqlDbType.Varchar);
        Add(command, rows.Select(r => r.BytesIn).ToArray(), NpgsqlDbType.Bigint);
        Add(command, rows.Select(r => r.BytesOut).ToArray(), NpgsqlDbType.Bigint);
        Add(command, rows.Select(r => r.PacketsIn).ToArray(), NpgsqlDbType.Bigint);
        Add(command, rows.Select(r => r.PacketsOut).ToArray(), NpgsqlDbType.Bigint);
        Add(command, rows.Select(r => r.AllocationSeconds).ToArray(), NpgsqlDbType.Double);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Users with the most traffic (in + out) in [from, to), optionally within one realm.</summary>
    public async Task<IReadOnlyList<UsageTotals>> TopUsersAsync(
        AdminActor actor, string? realm, DateTimeOffset from, DateTimeOffset to, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (take is < 1 or > 1000) throw new AdminOperationException(AdminErrorCode.InvalidInput, "Ask for 1 to 1000 users.", "take");
        if (realm is not null) AdminTransaction.EnsureRealmAccess(actor, realm);
        realm ??= actor.IsSuperuser ? null : actor.Realm;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = db.UsageMinutes.AsNoTracking().Where(u => u.Minute >= from && u.Minute < to);
        if (realm is not null) rows = rows.Where(u => u.Realm == realm);
        var top = await rows.GroupBy(u => new { u.Realm, u.Name })
            .Select(g => new
            {
                g.Key.Realm,
                g.Key.Name,
                BytesIn = g.Sum(u => u.BytesIn),
                BytesOut = g.Sum(u => u.BytesOut),
                PacketsIn = g.Sum(u => u.PacketsIn),
                PacketsOut = g.Sum(u => u.PacketsOut),
                AllocationSeconds = g.Sum(u => u.AllocationSeconds),
            })
            .OrderByDescending(t => t.BytesIn + t.BytesOut).ThenBy(t => t.Realm).ThenBy(t => t.Name)
            .Take(take)
            .ToListAsync(cancellationToken);
        return top.Select(t => new UsageTotals(t.Realm, t.Name, t.BytesIn, t.BytesOut, t.PacketsIn, t.PacketsOut, t.AllocationSeconds)).ToList();
    }

    /// <summary>Per-minute totals of a realm (or one user of it) in [from, to), minutes without traffic omitted.</summary>
    public async Task<IReadOnlyList<UsagePoint>> SeriesAsync(
        AdminActor actor, string realm, string? name, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        AdminTransaction.EnsureRealmAccess(actor, realm);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = db.UsageMinutes.AsNoTracking().Where(u => u.Realm == realm && u.Minute >= from && u.Minute < to);
        if (name is not null) rows = rows.Where(u => u.Name == name);
        var points = await rows.GroupBy(u => u.Minute)
            .Select(g => new { Minute = g.Key, BytesIn = g.Sum(u => u.BytesIn), BytesOut = g.Sum(u => u.BytesOut), AllocationSeconds = g.Sum(u => u.AllocationSeconds) })
            .OrderBy(p => p.Minute)
            .ToListAsync(cancellationToken);
        return points.Select(p => new UsagePoint(p.Minute, p.BytesIn, p.BytesOut, p.AllocationSeconds)).ToList();
    }

    private static void Add<T>(NpgsqlCommand command, T[] values, NpgsqlDbType elementType) =>
        command.Parameters.Add(new NpgsqlParameter { Value = values, NpgsqlDbType = NpgsqlDbType.Array | elementType });
}
