using Microsoft.Extensions.Logging;
using Turn.Relay.Allocations;
using Turn.Relay.Seams;

namespace Turn.Relay.State;

/// <summary><see cref="IRelayControl"/> over the allocation table: terminations, drain and resume.</summary>
internal sealed partial class RelayControlView(AllocationTable table, ILogger logger) : IRelayControl
{
    private const string Terminated = "terminated";

    public bool TerminateAllocation(string allocationId)
    {
        if (!table.TryGetById(allocationId, out var allocation)) return false;
        table.Delete(allocation, Terminated);
        return true;
    }

    public int TerminateUser(string realm, string username) =>
        TerminateWhere(a => string.Equals(a.Realm, realm, StringComparison.Ordinal)
            && string.Equals(a.Username, username, StringComparison.Ordinal));

    public int TerminateBySecret(string realm, string secretSha256)
    {
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentNullException.ThrowIfNull(secretSha256);
        return TerminateWhere(a => a.SigningSecretSha256 is { } signedBy
            && string.Equals(a.Realm, realm, StringComparison.Ordinal)
            && string.Equals(signedBy, secretSha256, StringComparison.OrdinalIgnoreCase));
    }

    public int TerminateByCredentialKind(RelayCredentialKind kind) =>
        TerminateWhere(a => (a.SigningSecretSha256 is null ? RelayCredentialKind.LongTerm : RelayCredentialKind.RestApi) == kind);

    public bool Drain()
    {
        if (!table.SetDraining(true)) return false;
        LogDraining(logger, table.Count);
        return true;
    }

    public bool Resume()
    {
        if (!table.SetDraining(false)) return false;
        LogResumed(logger, table.Count);
        return true;
    }

    public bool IsDraining => table.IsDraining;

    private int TerminateWhere(Func<Allocation, bool> matches)
    {
        var count = 0;
        foreach (var allocation in table.All)
        {
            if (!matches(allocation)) continue;
            table.Delete(allocation, Terminated);
            count++;
        }
        return count;
    }

    [LoggerMessage(EventId = 1414, Level = LogLevel.Warning, Message = "Draining: new allocations are refused; {Count} allocations stay until they end")]
    private static partial void LogDraining(ILogger logger, int count);

    [LoggerMessage(EventId = 1415, Level = LogLevel.Information, Message = "Draining ended: new allocations are accepted again ({Count} live)")]
    private static partial void LogResumed(ILogger logger, int count);
}
