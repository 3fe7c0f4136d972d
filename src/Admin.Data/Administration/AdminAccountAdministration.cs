using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Admin.Data.Administration;

/// <summary>
/// Portal administrators (coturn's admin_user): add, list, delete, change password, and sign-in with lockout.
/// Each change is one transaction with its audit row; refusals throw <see cref="AdminOperationException"/> with
/// nothing changed. Sign-in bookkeeping (failure counter, lockout, last sign-in, rehashing coturn's hashes) is a
/// write to the same rows, so it lives here too; only a lockout is audited. Hashing is the host's
/// (<see cref="IAdminPasswordHasher"/>).
/// </summary>
public sealed partial class AdminAccountAdministration(
    IDbContextFactory<AdminDbContext> factory,
    NpgsqlDataSource dataSource,
    IAdminPasswordHasher hasher,
    AuditWriter audit,
    TimeProvider time,
    ILogger<AdminAccountAdministration> logger)
{
    /// <summary>coturn's admin_user.name is varchar(32).</summary>
    public const int MaxNameLength = 32;

    public const int MinPasswordLength = 8;

    public async Task<IReadOnlyList<AdminAccount>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.AdminUsers.AsNoTracking()
            .OrderBy(a => a.Name)
            .Select(a => new AdminAccount(a.Name, a.Realm, a.CreatedAt, a.LastLoginAt, a.LockoutUntil))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The admins <paramref name="actor"/> may see: all for a superuser, only their realm's for a realm admin.</summary>
    public async Task<IReadOnlyList<AdminAccount>> ListAsync(AdminActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var all = await ListAsync(cancellationToken);
        return actor.IsSuperuser ? all : all.Where(a => a.Realm == actor.Realm).ToList();
    }

    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        // Asked at every start of serve: one plain query, so a start with an admin in place builds no EF Core query.
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM admin_user)");
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>
    /// The first admin of an empty installation (the bootstrap at start): a superuser written as <see cref="AddAsync"/>
    /// writes one, with its audit row (as the system) in the same transaction, but with plain SQL: building an EF Core
    /// model and query pipeline for this one insert left them in every freshly installed <c>serve</c> process (about
    /// 20 MB, docs/PERFORMANCE.md). False when an admin of that name exists (another instance on the same database was
    /// first).
    /// </summary>
    public async Task<bool> AddFirstAsync(string name, string password, CancellationToken cancellationToken)
    {
        ValidateName(name);
        ValidatePassword(password);
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO admin_user (name, realm, password, created_at, updated_at) VALUES ($1, '', $2, $3, $3)
            ON CONFLICT (name) DO NOTHING
            """, connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = name });
            insert.Parameters.Add(new NpgsqlParameter { Value = hasher.Hash(password) });
            insert.Parameters.Add(new NpgsqlParameter { Value = now });
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0) return false;
        }
        await using (var row = new NpgsqlCommand("""
            INSERT INTO turnstone_audit_log (at, admin, action, target, realm, details) VALUES ($1, $2, 'admin.add', $3, NULL, $4::jsonb)
            """, connection, transaction))
        {
            row.Parameters.Add(new NpgsqlParameter { Value = now });
            row.Parameters.Add(new NpgsqlParameter { Value = AdminActor.System.Name });
            row.Parameters.Add(new NpgsqlParameter { Value = name });
            row.Parameters.Add(new NpgsqlParameter { Value = AuditWriter.Details(new { realm = "" }) });
            await row.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <param name="realm">Null or empty for a superuser; otherwise an existing realm the admin is confined to.</param>
    public Task AddAsync(string name, string password, string? realm, AdminActor actor, CancellationToken cancellationToken)
    {
        ValidateName(name);
        ValidatePassword(password);
        RequireSuperuser(actor);
        realm = string.IsNullOrEmpty(realm) ? null : realm;
        return AdminTransaction.RunAsync(factory, async db =>
        {
            if (realm is not null && !await db.Realms.AnyAsync(r => r.Name == realm, cancellationToken))
                throw new AdminOperationException(AdminErrorCode.NotFound, $"Realm '{realm}' does not exist.", "realm");
            if (await db.AdminUsers.AnyAsync(a => a.Name == name, cancellationToken))
                throw Duplicate(name);

            var now = time.GetUtcNow();
            db.AdminUsers.Add(new AdminUser { Name = name, Realm = realm ?? "", Password = hasher.Hash(password), CreatedAt = now, UpdatedAt = now });
            audit.Add(db, actor, "admin.add", name, realm, new { realm = realm ?? "" });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // Another writer added the same name between our check and our insert.
                throw Duplicate(name);
            }
        }, cancellationToken);
    }

    public Task DeleteAsync(string name, AdminActor actor, CancellationToken cancellationToken)
    {
        RequireSuperuser(actor);
        return AdminTransaction.RunAsync(factory, async db =>
        {
            var admin = await db.AdminUsers.SingleOrDefaultAsync(a => a.Name == name, cancellationToken)
                ?? throw NotFound(name);
            // Never leave the portal without a superuser: nobody could sign in to fix it.
            if (string.IsNullOrEmpty(admin.Realm) &&
                !await db.AdminUsers.AnyAsync(a => a.Name != name && (a.Realm == null || a.Realm == ""), cancellationToken))
            {
                throw new AdminOperationException(AdminErrorCode.InvalidInput, $"Admin '{name}' is the last superuser and cannot be deleted.", "name");
            }
            db.AdminUsers.Remove(admin);
            audit.Add(db, actor, "admin.delete", name, NullIfEmpty(admin.Realm));
        }, cancellationToken);
    }

    /// <summary>
    /// Sets a new password (and clears any lockout). An admin changing their own password must give the current one
    /// (<paramref name="currentPassword"/>), so a session left open or a stolen cookie cannot take the account over; a
    /// superuser resetting another admin's password, or the command line (which acts as "cli:user"), needs none.
    /// </summary>
    public Task SetPasswordAsync(string name, string password, string? currentPassword, AdminActor actor, CancellationToken cancellationToken)
    {
        ValidatePassword(password);
        // Admins may change their own password; only superusers anyone else's.
        var own = string.Equals(actor.Name, name, StringComparison.Ordinal);
        if (!own) RequireSuperuser(actor);
        return AdminTransaction.RunAsync(factory, async db =>
        {
            var admin = await db.AdminUsers.SingleOrDefaultAsync(a => a.Name == name, cancellationToken)
                ?? throw NotFound(name);
            if (own && (string.IsNullOrEmpty(currentPassword) || hasher.Verify(admin.Password, currentPassword) == AdminPasswordCheck.Failed))
            {
                throw new AdminOperationException(AdminErrorCode.InvalidInput, "The current password is required to change your own password, and it does not match.", "currentPassword");
            }
            admin.Password = hasher.Hash(password);
            admin.FailedLoginCount = 0;
            admin.LockoutUntil = null;
            admin.UpdatedAt = time.GetUtcNow();
            audit.Add(db, actor, "admin.passwd", name, NullIfEmpty(admin.Realm));
        }, cancellationToken);
    }

    /// <summary>
    /// Checks a sign-in. Counts failures and locks the account after <see cref="AdminLockoutPolicy.MaxFailedAttempts"/>
    /// in a row (audited as "admin.lockout"); rehashes legacy "$5$" hashes on success. A locked account refuses every
    /// sign-in unless <paramref name="lockoutApplies"/> is false: the portal passes false for a network with no failed
    /// sign-in of its own during the lockout (see Admin.Web's SignInThrottle), so others' guessing cannot keep a real
    /// admin out; a wrong password from there still counts.
    /// </summary>
    public async Task<LoginResult> SignInAsync(
        string name, string password, string? clientAddress, AdminLockoutPolicy lockout, CancellationToken cancellationToken, bool lockoutApplies = true)
    {
        ArgumentNullException.ThrowIfNull(lockout);
        AdminUser? admin;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            admin = string.IsNullOrEmpty(name) || name.Length > MaxNameLength
                ? null
                : await db.AdminUsers.AsNoTracking().SingleOrDefaultAsync(a => a.Name == name, cancellationToken);
        }
        if (admin is null)
        {
            hasher.VerifyNothing(password);
            LogUnknownAdmin(logger, clientAddress);
            return LoginResult.Invalid;
        }

        var now = time.GetUtcNow();
        if (lockoutApplies && admin.LockoutUntil is { } until && until > now)
        {
            hasher.VerifyNothing(password);
            LogLockedOut(logger, name, clientAddress);
            return LoginResult.LockedOut;
        }

        var verification = hasher.Verify(admin.Password, password);
        if (verification == AdminPasswordCheck.Failed)
        {
            return await RecordFailureAsync(name, clientAddress, lockout, now, cancellationToken);
        }

        // One statement, so parallel sign-ins cannot lose each other's counter updates.
        var newHash = verification == AdminPasswordCheck.SucceededRehashNeeded ? hasher.Hash(password) : admin.Password;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            await db.AdminUsers.Where(a => a.Name == name).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.FailedLoginCount, 0)
                .SetProperty(a => a.LockoutUntil, (DateTimeOffset?)null)
                .SetProperty(a => a.LastLoginAt, now)
                .SetProperty(a => a.Password, newHash), cancellationToken);
        }
        if (verification == AdminPasswordCheck.SucceededRehashNeeded) LogRehashed(logger, name);
        LogSignedIn(logger, name, clientAddress);
        return new LoginResult(
            LoginOutcome.Succeeded,
            new AdminAccount(admin.Name, NullIfEmpty(admin.Realm), admin.CreatedAt, now, null),
            AdminSessionStamp.Compute(newHash, admin.Realm, admin.SessionEpoch));
    }

    /// <summary>
    /// Ends every portal session of the admin (a sign-out): bumps the session epoch, so each cookie issued so far no
    /// longer matches the stamp, wherever it is replayed. Not audited, like sign-ins.
    /// </summary>
    public async Task EndSessionsAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.AdminUsers.Where(a => a.Name == name).ExecuteUpdateAsync(s => s.SetProperty(a => a.SessionEpoch, a => a.SessionEpoch + 1), cancellationToken);
    }

    private async Task<LoginResult> RecordFailureAsync(
        string name, string? clientAddress, AdminLockoutPolicy lockout, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var max = lockout.MaxFailedAttempts;
        var lockUntil = now + lockout.Duration;
        // The counter and the lockout's audit row commit together.
        var lockedNow = await AdminTransaction.RunAsync(factory, async db =>
        {
            // Atomic in the database: the counter restarts when the account locks.
            await db.AdminUsers.Where(a => a.Name == name).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.LockoutUntil, a => a.FailedLoginCount + 1 >= max ? lockUntil : a.LockoutUntil)
                .SetProperty(a => a.FailedLoginCount, a => a.FailedLoginCount + 1 >= max ? 0 : a.FailedLoginCount + 1), cancellationToken);
            var locked = await db.AdminUsers.AsNoTracking()
                .Where(a => a.Name == name)
                .Select(a => a.LockoutUntil)
                .SingleOrDefaultAsync(cancellationToken) is { } until && until > now;
            if (locked)
            {
                audit.Add(db, new AdminActor("system", null, clientAddress), "admin.lockout", name, null,
                    new { failures = max, minutes = lockout.Duration.TotalMinutes });
            }
            return locked;
        }, cancellationToken);
        if (lockedNow)
        {
            LogLockedOut(logger, name, clientAddress);
            return LoginResult.LockedOut;
        }
        LogWrongPassword(logger, name, clientAddress);
        return LoginResult.Invalid;
    }

    /// <summary>
    /// The admin's current session stamp, or null when the admin no longer exists. A sign-in stays
    /// valid only while the stamp is unchanged: a password reset, a realm change, a sign-out or a delete ends it.
    /// </summary>
    public async Task<string?> GetSessionStampAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var admin = await db.AdminUsers.AsNoTracking()
            .Where(a => a.Name == name)
            .Select(a => new { a.Password, a.Realm, a.SessionEpoch })
            .SingleOrDefaultAsync(cancellationToken);
        return admin is null ? null : AdminSessionStamp.Compute(admin.Password, admin.Realm, admin.SessionEpoch);
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new AdminOperationException(AdminErrorCode.InvalidInput, "The admin name must not be empty.", "name");
        if (name.Length > MaxNameLength)
            throw new AdminOperationException(AdminErrorCode.InvalidInput, $"The admin name must be at most {MaxNameLength} characters.", "name");
        if (name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == ':'))
            throw new AdminOperationException(AdminErrorCode.InvalidInput, "The admin name must not contain spaces, control characters or ':'.", "name");
    }

    private static void ValidatePassword(string password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinPasswordLength)
            throw new AdminOperationException(AdminErrorCode.InvalidInput, $"The admin password must be at least {MinPasswordLength} characters.", "password");
    }

    private static void RequireSuperuser(AdminActor actor)
    {
        if (!actor.IsSuperuser)
            throw new AdminOperationException(AdminErrorCode.Forbidden, "Only a superuser admin may manage admin accounts.");
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static AdminOperationException Duplicate(string name) =>
        new(AdminErrorCode.Duplicate, $"Admin '{name}' already exists.", "name");

    private static AdminOperationException NotFound(string name) =>
        new(AdminErrorCode.NotFound, $"Admin '{name}' does not exist.", "name");

    // Event ids 3001-3005 are kept from when this lived in Admin.Web, so log queries keep working.
    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Admin {Name} signed in from {ClientAddress}")]
    private static partial void LogSignedIn(ILogger logger, string name, string? clientAddress);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Warning, Message = "Sign-in refused: wrong password for admin {Name} from {ClientAddress}")]
    private static partial void LogWrongPassword(ILogger logger, string name, string? clientAddress);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "Sign-in refused: unknown admin name from {ClientAddress}")]
    private static partial void LogUnknownAdmin(ILogger logger, string? clientAddress);

    [LoggerMessage(EventId = 2304, Level = LogLevel.Warning, Message = "Sign-in refused: admin {Name} is locked out (from {ClientAddress})")]
    private static partial void LogLockedOut(ILogger logger, string name, string? clientAddress);

    [LoggerMessage(EventId = 2305, Level = LogLevel.Information, Message = "Admin {Name}'s coturn SHA-256-crypt password hash was replaced with PBKDF2")]
    private static partial void LogRehashed(ILogger logger, string name);
}
