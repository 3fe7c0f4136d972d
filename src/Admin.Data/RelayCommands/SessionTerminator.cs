using Admin.Data.Administration;
using Turn.Relay.Seams;

namespace Admin.Data.RelayCommands;

/// <summary>
/// Ends allocations for the portal and the API, through <see cref="IRelayControl"/>: one allocation, or all of a
/// user's. A realm admin may only end allocations of their realm (checked here against the live state, not trusted
/// from the browser or the request). Each termination is written to the audit log; when the database is away the
/// allocation still ends (stopping abuse must not wait for PostgreSQL) and the result says the audit row is missing,
/// which is also logged.
/// </summary>
public sealed class SessionTerminator(IRelayState state, IRelayControl control, RelayCommandAudit audit)
{
    public const string TerminateAction = "session.terminate";
    public const string TerminateUserAction = "session.terminate-user";

    /// <summary>
    /// Ends one allocation. Count 0 when it is not live, or (for a realm admin) not in their realm: an id from
    /// another realm is answered like an unknown one, so it cannot be probed.
    /// </summary>
    public async Task<TerminationResult> TerminateAllocationAsync(AdminActor actor, string allocationId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrEmpty(allocationId);
        var allocation = state.GetSnapshot().Allocations.FirstOrDefault(a => a.Id == allocationId);
        if (allocation is null || !MayManage(actor, allocation.Realm)) return new TerminationResult(0, AuditWritten: true);
        var count = control.TerminateAllocation(allocationId) ? 1 : 0;
        if (count == 0) return new TerminationResult(0, AuditWritten: true);
        var written = await audit.WriteAsync(actor, TerminateAction, allocationId, allocation.Realm, new
        {
            user = allocation.Username,
            client = allocation.ClientAddress.ToString(),
            transport = allocation.Transport.ToString().ToLowerInvariant(),
            relayed = allocation.RelayedAddress.ToString(),
            bytesFromClient = allocation.BytesFromClient,
            bytesToClient = allocation.BytesToClient,
        });
        return new TerminationResult(count, written);
    }

    /// <summary>Ends every allocation of a user in a realm.</summary>
    public async Task<TerminationResult> TerminateUserAsync(AdminActor actor, string realm, string username)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentException.ThrowIfNullOrEmpty(username);
        AdminTransaction.EnsureRealmAccess(actor, realm);
        var count = control.TerminateUser(realm, username);
        if (count == 0) return new TerminationResult(0, AuditWritten: true);
        var written = await audit.WriteAsync(actor, TerminateUserAction, username, realm, new { allocations = count });
        return new TerminationResult(count, written);
    }

    private static bool MayManage(AdminActor actor, string realm) => actor.IsSuperuser || string.Equals(actor.Realm, realm, StringComparison.Ordinal);
}
