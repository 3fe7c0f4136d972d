using Admin.Data.Administration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Admin.Data.RelayCommands;

/// <summary>
/// Writes the audit row of a command the relay has already carried out (a termination, a drain). The command never
/// waits for PostgreSQL (stopping abuse or draining must work while it is away): when the row cannot be written the
/// answer is false, the caller says so to the admin, and the failure is logged. It takes no cancellation token: the
/// command has happened, and its record must not be dropped because the caller (an API client) went away.
/// Unlike the other administration services there is no transaction to roll back: the change is the engine's and has
/// already happened, so the row is one insert of its own, through the same <see cref="AuditWriter"/>.
/// </summary>
public sealed partial class RelayCommandAudit(IDbContextFactory<AdminDbContext> factory, AuditWriter audit, ILogger<RelayCommandAudit> logger)
{
    /// <summary>True when the row was written.</summary>
    /// <param name="realm">The realm it concerns; null for the whole server.</param>
    public async Task<bool> WriteAsync(AdminActor actor, string action, string target, string? realm, object details)
    {
        // Twice: after an outage the first use of a pooled connection the server dropped fails once.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
                audit.Add(db, actor, action, target, realm, details);
                await db.SaveChangesAsync(CancellationToken.None);
                return true;
            }
            catch (Exception ex) when (ex is DbUpdateException or Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
            {
                if (attempt < 2) continue;
                LogAuditFailed(logger, action, target, realm ?? "(all)", actor.Name, ex);
                return false;
            }
        }
    }

    [LoggerMessage(EventId = 2401, Level = LogLevel.Error, Message = "Audit row for {Action} {Target} in realm {Realm} by {Admin} could not be written; the command was carried out")]
    private static partial void LogAuditFailed(ILogger logger, string action, string target, string realm, string admin, Exception exception);
}
