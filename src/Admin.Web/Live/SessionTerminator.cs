using Admin.Data;
using Admin.Data.Administration;
using Microsoft.EntityFrameworkCore;
using Turn.Relay.Seams;

namespace Admin.Web.Live;

/// <summary>
/// Ends allocations for the portal, through <see cref="IRelayControl"/>: one allocation, or all of a user's. A realm
/// admin may only end allocations of their realm (checked here against the live state, not trusted from the
/// browser). Each termination is written to the audit log; when the database is away the allocation still ends
/// (stopping abuse must not wait for PostgreSQL) and the result says the audit row is missing, which is also logged.
/// </summary>
public sealed partial class SessionTerminator(IRelayState state, IRelayControl control, IDbContextFactory<AdminDbContext> factory, AuditWriter audit,
    ILogger<SessionTerminator> logger)
{
    public const string TerminateAction = "session.terminate";
    public const string TerminateUserAction = "session.terminate-user";

    /// <summary>Ends one allocation. Count 0 when it had already gone.</summary>
    public async Task<TerminationResult> TerminateAllocationAsync(AdminActor actor, string allocationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrEmpty(allocationId);
        var allocation = state.GetSnapshot().Allocations.FirstOrDefault(a => a.Id == allocationId);
        if (allocation is null) return new TerminationResult(0, AuditWritten: true);
        EnsureRealmAccess(actor, allocation.Realm);
        var count = control.TerminateAllocation(allocationId) ? 1 : 0;
        if (count == 0) return new TerminationResult(0, AuditWritten: true);
        var written = await AuditAsync(actor, TerminateAction, allocationId, allocation.Realm, new
        {
            user = allocation.Username,
            client = allocation.ClientAddress.ToString(),
            transport = allocation.Transport.ToString().ToLowerInvariant(),
            relayed = allocation.RelayedAddress.ToString(),
            bytesFromClient = allocation.BytesFromClient,
            bytesToClient = allocation.BytesToClient,
        }, cancellationToken);
        return new TerminationResult(count, written);
    }

    /// <summary>Ends every allocation of a user in a realm.</summary>
    public async Task<TerminationResult> TerminateUserAsync(AdminActor actor, string realm, string username, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentException.ThrowIfNullOrEmpty(username);
        EnsureRealmAccess(actor, realm);
        var count = control.TerminateUser(realm, username);
        if (count == 0) return new TerminationResult(0, AuditWritten: true);
        var written = await AuditAsync(actor, TerminateUserAction, username, realm, new { allocations = count }, cancellationToken);
        return new TerminationResult(count, written);
    }

    private static void EnsureRealmAccess(AdminActor actor, string realm)
    {
        if (!actor.IsSuperuser && !string.Equals(actor.Realm, realm, StringComparison.Ordinal))
            throw new AdminOperationException(AdminErrorCode.Forbidden, $"Admin '{actor.Name}' may only manage realm '{actor.Realm}'.", "realm");
    }

    private async Task<bool> AuditAsync(AdminActor actor, string action, string target, string realm, object details, CancellationToken cancellationToken)
    {
        // Twice: after an outage the first use of a pooled connection the server dropped fails once.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = await factory.CreateDbContextAsync(cancellationToken);
                audit.Add(db, actor, action, target, realm, details);
                await db.SaveChangesAsync(cancellationToken);
                return true;
            }
            catch (Exception ex) when (ex is DbUpdateException or Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
            {
                if (attempt < 2) continue;
                LogAuditFailed(logger, action, target, realm, actor.Name, ex);
                return false;
            }
        }
    }

    [LoggerMessage(EventId = 3603, Level = LogLevel.Error, Message = "Audit row for {Action} {Target} in realm {Realm} by {Admin} could not be written; the termination happened")]
    private static partial void LogAuditFailed(ILogger logger, string action, string target, string realm, string admin, Exception exception);
}
