using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Turn.Protocol;
using Turn.Relay.Allocations;
using Turn.Relay.DataPath;
using Turn.Relay.Diagnostics;
using Turn.Relay.Engine;
using Turn.Relay.Redirects;
using Turn.Relay.Requests;
using Turn.Relay.Seams;
using Turn.Relay.State;
using Turn.Relay.Transports;

namespace Turn.Relay.Methods;

/// <summary>
/// Allocate's last step: the plan goes into the allocation table, which checks the quotas and takes
/// the relay port under its lock; the new allocation's socket then starts relaying and the client
/// gets its success. A refusal from the table is answered 437, 486 or 508.
/// </summary>
internal sealed partial class AllocateCommit(AllocationTable table, RelayAddressPlanner addresses, RelayDataPath dataPath,
    AllocateSuccessResponse success, ResponseWriter responses, RelayEventPublisher events, RelayStateChanges changes,
    RelayMetrics metrics, TimeProvider time, ILogger logger, AllocateRedirect? redirect = null)
{
    public void Commit(RequestContext context, AllocationPlan plan, in AllocateAttributes attributes)
    {
        if (!table.TryAdd(plan, (socket, now) => Create(context, plan, socket, now), out var allocation, out var refusal))
        {
            Refuse(context, refusal);
            return;
        }
        if (attributes.DontFragment) allocation.Socket.TrySetDontFragment(true);
        allocation.Socket.Start(new PeerReceiver(dataPath, allocation));
        changes.MarkChanged();
        // The two addresses are formatted only when the Debug line is on: not once per allocation for nothing.
        if (logger.IsEnabled(LogLevel.Debug))
            LogAllocationCreated(logger, allocation.Id, allocation.Username, allocation.Client.Remote.ToString(), allocation.RelayedAddress.ToString());
        events.Raise(RelayEventKind.AllocationCreated, allocation, context, null);
        success.Send(context, allocation, allocation.GrantedLifetimeSeconds, attributes.AdditionalIPv6);
    }

    // Called by the table under its lock, with the socket it took for the plan.
    private Allocation Create(RequestContext context, AllocationPlan plan, IRelaySocket socket, long now)
    {
        // A reserved socket is advertised as it is bound; a new one as the plan said, with its port.
        var relayed = plan.ReservationToken is null ? plan.Advertised.WithPort(socket.LocalAddress.Port) : addresses.Advertise(socket.LocalAddress);
        var allocation = new Allocation(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), context.Connection,
            context.Username, context.Realm, context.Key!, socket, relayed, time.GetUtcNow(),
            now + time.Ticks(plan.Lifetime), context.TransactionId)
        {
            GrantedLifetimeSeconds = (uint)plan.Lifetime.TotalSeconds,
            SigningSecretSha256 = plan.SigningSecretSha256,
        };
        if (plan.MaxBitsPerSecond > 0)
        {
            allocation.ToPeerLimit = new TokenBucket(plan.MaxBitsPerSecond, now, time.TimestampFrequency);
            allocation.ToClientLimit = new TokenBucket(plan.MaxBitsPerSecond, now, time.TimestampFrequency);
        }
        return allocation;
    }

    private void Refuse(RequestContext context, AllocationRefusal refusal)
    {
        if (refusal is AllocationRefusal.ServerCapacity or AllocationRefusal.RelayPorts && redirect is not null && redirect.TrySendFull(context)) return;
        var (code, reason, quota) = refusal switch
        {
            AllocationRefusal.FiveTupleInUse => (StunErrorCode.AllocationMismatch, "Allocation Mismatch", (QuotaRejectionReason?)null),
            AllocationRefusal.UserQuota => (StunErrorCode.AllocationQuotaReached, "Allocation Quota Reached", QuotaRejectionReason.UserQuota),
            AllocationRefusal.TotalQuota => (StunErrorCode.InsufficientCapacity, "Insufficient Capacity", QuotaRejectionReason.TotalQuota),
            AllocationRefusal.ServerCapacity => (StunErrorCode.InsufficientCapacity, "Insufficient Capacity", QuotaRejectionReason.ServerCapacity),
            AllocationRefusal.ReservationToken => (StunErrorCode.InsufficientCapacity, "Unknown or expired RESERVATION-TOKEN", QuotaRejectionReason.ReservationToken),
            _ => (StunErrorCode.InsufficientCapacity, "No relay port available", QuotaRejectionReason.RelayPorts),
        };
        if (quota is { } quotaReason)
        {
            metrics.RecordQuotaRejection(code, quotaReason);
            events.Raise(RelayEventKind.QuotaRejected, null, context, reason);
        }
        responses.SendError(context, code, reason, withIntegrity: true);
    }

    [LoggerMessage(EventId = 1411, Level = LogLevel.Debug, Message = "Allocation {Id} for {User} from {Client} relays on {Relayed}")]
    private static partial void LogAllocationCreated(ILogger logger, string id, string user, string client, string relayed);
}
