using System.Runtime.CompilerServices;
using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Turn.Protocol;

namespace Admin.Data.Administration;

/// <summary>
/// TURN users (coturn's turnusers_lt). The database keeps only the long-term key, lowercase hex
/// MD5("user:realm:password"), never the password. Each method is one transaction with one audit row
/// (never holding a password or key); refusals throw <see cref="AdminOperationException"/> with nothing changed.
/// </summary>
public sealed class UserAdministration(IDbContextFactory<AdminDbContext> factory, AuditWriter audit, TimeProvider timeProvider)
{
    /// <summary>Largest page <see cref="ListAsync"/> returns.</summary>
    public const int MaxPageSize = 1000;

    private const int ExportPageSize = 5000;

    public Task<UserInfo> AddAsync(AdminActor actor, string realm, string name, string password, CancellationToken cancellationToken)
    {
        ValidateTarget(actor, realm, name);
        AdminValidation.Ensure(AdminValidation.CheckPassword(password), "password");
        return AddKeyAsync(actor, realm, name, LongTermKey.ComputeHex(name, realm, password), "password", cancellationToken);
    }

    /// <summary>Adds a user from a key computed elsewhere (turnadmin -k, an export); 32 hex digits, stored lowercase.</summary>
    public Task<UserInfo> AddWithKeyAsync(AdminActor actor, string realm, string name, string hmacKey, CancellationToken cancellationToken)
    {
        ValidateTarget(actor, realm, name);
        AdminValidation.Ensure(AdminValidation.CheckHmacKey(hmacKey), "hmacKey");
        return AddKeyAsync(actor, realm, name, AdminValidation.ToLowerInvariantHex(hmacKey), "key", cancellationToken);
    }

    /// <summary>
    /// One page of a realm's users in case-insensitive name order (lowercase name, then name, both by code point),
    /// optionally only names starting with <paramref name="namePrefix"/> (case-insensitive). Built for realms of a
    /// million users (bench/user-queries.sh): the index ix_turnusers_lt_realm_lower_name_c serves the search, the
    /// order and the paging; the unfiltered total comes from turnstone_realm_user_count (kept by triggers), not COUNT.
    /// </summary>
    public async Task<PagedResult<UserInfo>> ListAsync(
        AdminActor actor, string realm, string? namePrefix, int skip, int take, CancellationToken cancellationToken, bool descending = false)
    {
        AdminTransaction.EnsureRealmAccess(actor, realm);
        if (skip < 0) throw new AdminOperationException(AdminErrorCode.InvalidInput, "The page offset must be zero or more.", "skip");
        if (take is < 1 or > MaxPageSize) throw new AdminOperationException(AdminErrorCode.InvalidInput, $"The page size must be 1 to {MaxPageSize}.", "take");
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.Users.AsNoTracking().Where(u => u.Realm == realm);
        int total;
        if (!string.IsNullOrEmpty(namePrefix))
        {
            var prefix = namePrefix.ToLowerInvariant();
            // COLLATE "C" makes the LIKE a range scan on the index (the database's own collation may not allow it).
            query = query.Where(u => EF.Functions.Collate(u.Name.ToLower(), ByteOrder).StartsWith(prefix));
            total = await query.CountAsync(cancellationToken);
        }
        else
        {
            total = (int)await db.Database.SqlQuery<long>($"SELECT users AS \"Value\" FROM turnstone_realm_user_count WHERE realm = {realm}")
                .SingleOrDefaultAsync(cancellationToken);
        }
        // Deferred join: the page's names come from the index alone (an index-only scan even at a deep offset),
        // then only those rows are read from the table.
        var pageNames = Ordered(query, descending).Skip(skip).Take(take).Select(u => u.Name);
        var items = await Ordered(db.Users.AsNoTracking().Where(u => u.Realm == realm && pageNames.Contains(u.Name)), descending)
            .Select(u => new UserInfo(u.Realm, u.Name, u.Disabled, u.CreatedAt, u.UpdatedAt, u.Version))
            .ToListAsync(cancellationToken);
        return new PagedResult<UserInfo>(items, total);
    }

    public async Task<UserInfo> GetAsync(AdminActor actor, string realm, string name, CancellationToken cancellationToken)
    {
        AdminTransaction.EnsureRealmAccess(actor, realm);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Realm == realm && u.Name == name, cancellationToken)
            ?? throw NotFound(realm, name);
        return ToInfo(user);
    }

    public Task DeleteAsync(AdminActor actor, string realm, string name, CancellationToken cancellationToken)
    {
        AdminTransaction.EnsureRealmAccess(actor, realm);
        return AdminTransaction.RunAsync(factory, async db =>
        {
            var removed = await db.Users.Where(u => u.Realm == realm && u.Name == name).ExecuteDeleteAsync(cancellationToken);
            if (removed == 0) throw NotFound(realm, name);
            audit.Add(db, actor, "user.delete", name, realm);
        }, cancellationToken);
    }

    /// <param name="expectedVersion">The version the editor loaded; null skips the concurrency check.</param>
    public Task<UserInfo> ChangePasswordAsync(
        AdminActor actor, string realm, string name, string newPassword, uint? expectedVersion, CancellationToken cancellationToken)
    {
        AdminTransaction.EnsureRealmAccess(actor, realm);
        AdminValidation.Ensure(AdminValidation.CheckPassword(newPassword), "password");
        return UpdateAsync(actor, realm, name, expectedVersion, "user.passwd", user =>
        {
            user.HmacKey = LongTermKey.ComputeHex(name, realm, newPassword);
            return null;
        }, cancellationToken);
    }

    /// <summary>Disables (the relay refuses the user, and live allocations may be ended) or enables a user.</summary>
    public Task<UserInfo> SetDisabledAsync(
        AdminActor actor, string realm, string name, bool disabled, uint? expectedVersion, CancellationToken cancellationToken)
    {
        AdminTransaction.EnsureRealmAccess(actor, realm);
        return UpdateAsync(actor, realm, name, expectedVersion, disabled ? "user.disable" : "user.enable", user =>
        {
            var before = user.Disabled;
            user.Disabled = disabled;
            return new { before = new { disabled = before }, after = new { disabled } };
        }, cancellationToken);
    }

    /// <summary>The stored long-term key (lowercase hex), as turnadmin -k prints it. Viewing it is audited (without the key).</summary>
    public Task<string> GetKeyAsync(AdminActor actor, string realm, string name, CancellationToken cancellationToken)
    {
        AdminTransaction.EnsureRealmAccess(actor, realm);
        return AdminTransaction.RunAsync(factory, async db =>
        {
            var key = await db.Users.AsNoTracking().Where(u => u.Realm == realm && u.Name == name)
                .Select(u => new { u.HmacKey }).SingleOrDefaultAsync(cancellationToken) ?? throw NotFound(realm, name);
            audit.Add(db, actor, "user.key.view", name, realm);
            return key.HmacKey ?? "";
        }, cancellationToken);
    }

    /// <summary>Imports with <see cref="ExistingUserMode.Refuse"/>: a user the realm already has refuses the import.</summary>
    public Task<UserImportResult> ImportAsync(AdminActor actor, string realm, IReadOnlyList<UserImportRow> rows, CancellationToken cancellationToken) =>
        ImportAsync(actor, realm, rows, ExistingUserMode.Refuse, cancellationToken);

    /// <summary>
    /// Adds many users at once, all or nothing: every row is validated first (names, passwords or keys, duplicates
    /// within the input and, unless <paramref name="existing"/> skips or updates them, against the realm) and if any
    /// row is bad, nothing is written and every bad row is reported. One audit row records the counts. New rows are
    /// written with COPY, so large imports stay quick; the result says per line what was done.
    /// </summary>
    public async Task<UserImportResult> ImportAsync(
        AdminActor actor, string realm, IReadOnlyList<UserImportRow> rows, ExistingUserMode existing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        AdminTransaction.EnsureRealmAccess(actor, realm);
        AdminValidation.Ensure(AdminValidation.CheckRealm(realm), "realm");
        var (errors, seen) = CheckRows(rows);

        return await AdminTransaction.RunAsync(factory, async db =>
        {
            await AdminTransaction.EnsureRealmExistsAsync(db, realm, cancellationToken);
            var present = await ExistingNamesAsync(db, realm, rows, cancellationToken);
            if (existing == ExistingUserMode.Refuse) AddExistingErrors(errors, present, seen, realm);
            if (errors.Count > 0) return new UserImportResult(0, errors.OrderBy(e => e.Line).ToList());

            var now = timeProvider.GetUtcNow();
            var added = rows.Where(r => !present.Contains(r.Name)).ToList();
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await using (var copy = await connection.BeginBinaryImportAsync(
                "COPY turnusers_lt (realm, name, hmackey, created_at, updated_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                foreach (var row in added)
                {
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(realm, NpgsqlDbType.Varchar, cancellationToken);
                    await copy.WriteAsync(row.Name, NpgsqlDbType.Varchar, cancellationToken);
                    await copy.WriteAsync(KeyOf(row, realm), NpgsqlDbType.Char, cancellationToken);
                    await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
                    await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
                }
                await copy.CompleteAsync(cancellationToken);
            }
            if (existing == ExistingUserMode.Update && present.Count > 0)
            {
                var byName = rows.Where(r => present.Contains(r.Name)).ToDictionary(r => r.Name, StringComparer.Ordinal);
                foreach (var chunk in byName.Keys.Chunk(10_000))
                {
                    foreach (var user in await db.Users.Where(u => u.Realm == realm && chunk.Contains(u.Name)).ToListAsync(cancellationToken))
                    {
                        user.HmacKey = KeyOf(byName[user.Name], realm);
                        user.UpdatedAt = now;
                    }
                    await db.SaveChangesAsync(cancellationToken);
                }
            }
            var lines = rows.Select(r => new UserImportLine(r.Line, r.Name, !present.Contains(r.Name) ? UserImportOutcome.Added
                : existing == ExistingUserMode.Update ? UserImportOutcome.Updated : UserImportOutcome.Skipped)).ToList();
            var result = new UserImportResult(added.Count + (existing == ExistingUserMode.Update ? present.Count : 0), []) { Lines = lines };
            audit.Add(db, actor, "user.import", $"{rows.Count} users", realm, new
            {
                count = rows.Count, added = added.Count, updated = result.Updated, skipped = result.Skipped,
                withPassword = rows.Count(r => r.Password is not null), withKey = rows.Count(r => r.Password is null),
            });
            return result;
        }, cancellationToken);
    }

    /// <summary>
    /// Every row <see cref="ImportAsync(AdminActor, string, IReadOnlyList{UserImportRow}, ExistingUserMode, CancellationToken)"/>
    /// would refuse, with the same rules and messages, without writing anything: the portal's preview.
    /// </summary>
    public async Task<IReadOnlyList<UserImportError>> PreviewImportAsync(
        AdminActor actor, string realm, IReadOnlyList<UserImportRow> rows, ExistingUserMode existing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        AdminTransaction.EnsureRealmAccess(actor, realm);
        AdminValidation.Ensure(AdminValidation.CheckRealm(realm), "realm");
        var (errors, seen) = CheckRows(rows);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await AdminTransaction.EnsureRealmExistsAsync(db, realm, cancellationToken);
        if (existing == ExistingUserMode.Refuse) AddExistingErrors(errors, await ExistingNamesAsync(db, realm, rows, cancellationToken), seen, realm);
        return errors.OrderBy(e => e.Line).ToList();
    }

    private static (List<UserImportError> Errors, Dictionary<string, int> Seen) CheckRows(IReadOnlyList<UserImportRow> rows)
    {
        var errors = new List<UserImportError>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var error = AdminValidation.CheckUserName(row.Name)
                ?? ((row.Password is null) == (row.HmacKey is null) ? "Give either a password or a key." : null)
                ?? (row.Password is not null ? AdminValidation.CheckPassword(row.Password) : AdminValidation.CheckHmacKey(row.HmacKey));
            if (error is null && !seen.TryAdd(row.Name, row.Line)) error = $"User '{row.Name}' also appears on line {seen[row.Name]}.";
            if (error is not null) errors.Add(new UserImportError(row.Line, row.Name, error));
        }
        if (rows.Count == 0) errors.Add(new UserImportError(0, null, "There are no users to import."));
        return (errors, seen);
    }

    private static async Task<HashSet<string>> ExistingNamesAsync(AdminDbContext db, string realm, IReadOnlyList<UserImportRow> rows, CancellationToken cancellationToken)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in rows.Select(r => r.Name).Distinct(StringComparer.Ordinal).Chunk(10_000))
            present.UnionWith(await db.Users.Where(u => u.Realm == realm && chunk.Contains(u.Name)).Select(u => u.Name).ToListAsync(cancellationToken));
        return present;
    }

    private static void AddExistingErrors(List<UserImportError> errors, HashSet<string> present, Dictionary<string, int> seen, string realm)
    {
        foreach (var name in present)
            errors.Add(new UserImportError(seen.GetValueOrDefault(name), name, $"User '{name}' already exists in realm '{realm}'."));
    }

    private static string KeyOf(UserImportRow row, string realm) =>
        row.Password is not null ? LongTermKey.ComputeHex(row.Name, realm, row.Password) : AdminValidation.ToLowerInvariantHex(row.HmacKey!);

    /// <summary>
    /// All users of a realm with their keys, in name order, streamed in pages (for CSV export). The export itself
    /// is audited before the first row is returned.
    /// </summary>
    public async IAsyncEnumerable<UserKeyRow> ExportAsync(AdminActor actor, string realm, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        AdminTransaction.EnsureRealmAccess(actor, realm);
        await AdminTransaction.RunAsync(factory, async db =>
        {
            await AdminTransaction.EnsureRealmExistsAsync(db, realm, cancellationToken);
            audit.Add(db, actor, "user.export", realm, realm);
        }, cancellationToken);
        string? after = null;
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var query = db.Users.AsNoTracking().Where(u => u.Realm == realm);
            // Keyset paging on the primary key: constant cost per page however large the realm.
            if (after is not null) query = query.Where(u => string.Compare(u.Name, after) > 0);
            var page = await query.OrderBy(u => u.Name).Take(ExportPageSize)
                .Select(u => new UserKeyRow(u.Name, u.HmacKey ?? "", u.Disabled)).ToListAsync(cancellationToken);
            foreach (var row in page) yield return row;
            if (page.Count < ExportPageSize) yield break;
            after = page[^1].Name;
        }
    }

    /// <summary>Code-point order: what the index is built with, and what makes prefix LIKE indexable.</summary>
    private const string ByteOrder = "C";

    private static IOrderedQueryable<TurnUser> Ordered(IQueryable<TurnUser> users, bool descending) => descending
        ? users.OrderByDescending(u => EF.Functions.Collate(u.Name.ToLower(), ByteOrder)).ThenByDescending(u => EF.Functions.Collate(u.Name, ByteOrder))
        : users.OrderBy(u => EF.Functions.Collate(u.Name.ToLower(), ByteOrder)).ThenBy(u => EF.Functions.Collate(u.Name, ByteOrder));

    private Task<UserInfo> AddKeyAsync(AdminActor actor, string realm, string name, string hmacKey, string source, CancellationToken cancellationToken) =>
        AdminTransaction.RunAsync(factory, async db =>
        {
            await AdminTransaction.EnsureRealmExistsAsync(db, realm, cancellationToken);
            if (await db.Users.AnyAsync(u => u.Realm == realm && u.Name == name, cancellationToken))
                throw new AdminOperationException(AdminErrorCode.Duplicate, $"User '{name}' already exists in realm '{realm}'.", "name");
            var now = timeProvider.GetUtcNow();
            var user = new TurnUser { Realm = realm, Name = name, HmacKey = hmacKey, CreatedAt = now, UpdatedAt = now };
            db.Users.Add(user);
            audit.Add(db, actor, "user.add", name, realm, new { from = source });
            await db.SaveChangesAsync(cancellationToken);
            return ToInfo(user);
        }, cancellationToken);

    private Task<UserInfo> UpdateAsync(
        AdminActor actor, string realm, string name, uint? expectedVersion, string action, Func<TurnUser, object?> change, CancellationToken cancellationToken) =>
        AdminTransaction.RunAsync(factory, async db =>
        {
            var user = await db.Users.SingleOrDefaultAsync(u => u.Realm == realm && u.Name == name, cancellationToken) ?? throw NotFound(realm, name);
            if (expectedVersion is { } version) db.Entry(user).Property(u => u.Version).OriginalValue = version;
            var details = change(user);
            user.UpdatedAt = timeProvider.GetUtcNow();
            audit.Add(db, actor, action, name, realm, details);
            await db.SaveChangesAsync(cancellationToken);
            return ToInfo(user);
        }, cancellationToken);

    private static void ValidateTarget(AdminActor actor, string realm, string name)
    {
        AdminTransaction.EnsureRealmAccess(actor, realm);
        AdminValidation.Ensure(AdminValidation.CheckRealm(realm), "realm");
        AdminValidation.Ensure(AdminValidation.CheckUserName(name), "name");
    }

    private static AdminOperationException NotFound(string realm, string name) =>
        new(AdminErrorCode.NotFound, $"User '{AdminValidation.Printable(name)}' does not exist in realm '{AdminValidation.Printable(realm)}'.", "name");

    private static UserInfo ToInfo(TurnUser u) => new(u.Realm, u.Name, u.Disabled, u.CreatedAt, u.UpdatedAt, u.Version);
}
