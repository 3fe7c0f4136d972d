using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Admin.Data.Administration;

/// <summary>Runs one administration operation in one transaction and maps database refusals to <see cref="AdminOperationException"/>.</summary>
internal static class AdminTransaction
{
    public static async Task<T> RunAsync<T>(
        IDbContextFactory<AdminDbContext> factory, Func<AdminDbContext, Task<T>> operation, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var result = await operation(db);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new AdminOperationException(AdminErrorCode.Conflict,
                "Someone else changed or deleted this entry since it was loaded. Reload it and try again.", null);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new AdminOperationException(AdminErrorCode.Duplicate,
                "It already exists (it was added at the same moment by someone else). Nothing was changed.", null);
        }
    }

    public static Task RunAsync(IDbContextFactory<AdminDbContext> factory, Func<AdminDbContext, Task> operation, CancellationToken cancellationToken) =>
        RunAsync(factory, async db => { await operation(db); return true; }, cancellationToken);

    /// <summary>A realm admin may only touch their own realm; superusers may touch any.</summary>
    public static void EnsureRealmAccess(AdminActor actor, string realm)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsSuperuser && !string.Equals(actor.Realm, realm, StringComparison.Ordinal))
            throw new AdminOperationException(AdminErrorCode.Forbidden,
                $"Admin '{actor.Name}' may only manage realm '{actor.Realm}'.", "realm");
    }

    public static void EnsureSuperuser(AdminActor actor, string what)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsSuperuser)
            throw new AdminOperationException(AdminErrorCode.Forbidden, $"Only a superuser admin may {what}.", null);
    }

    public static async Task EnsureRealmExistsAsync(AdminDbContext db, string realm, CancellationToken cancellationToken)
    {
        if (!await db.Realms.AnyAsync(r => r.Name == realm, cancellationToken))
            throw new AdminOperationException(AdminErrorCode.NotFound, $"Realm '{realm}' does not exist. Add it first.", "realm");
    }
}
