using Turn.Protocol;
using Turn.Relay.Allocations;
using Turn.Relay.Diagnostics;
using Turn.Relay.Engine;
using Turn.Relay.Redirects;
using Turn.Relay.Requests;
using Turn.Relay.Seams;

namespace Turn.Relay.Methods;

/// <summary>
/// Allocate (RFC 8656 section 7.2), the server's steps for an authenticated request: the 5-tuple
/// check, then validate (<see cref="AllocateAttributes"/>), plan (<see cref="AllocatePlanner"/>) and
/// commit (<see cref="AllocateCommit"/>).
/// </summary>
internal sealed class AllocateHandler(AllocationTable table, AllocatePlanner planner, AllocateCommit commit,
    AllocateSuccessResponse success, ResponseWriter responses, RelayEventPublisher events, RelayMetrics metrics,
    AllocateRedirect? redirect = null)
{
    private const string DrainingReason = "Server draining";

    public void Handle(RequestContext context, in StunMessageReader request)
    {
        // 2. The 5-tuple already has an allocation: 437, unless this is a retransmission of the
        //    request that made it (its response may have been lost and the cache entry expired).
        if (table.TryGet(context.Connection.Key, out var existing))
        {
            if (existing.CreatedBy == context.TransactionId && !existing.IsDeleted) success.Send(context, existing, existing.GrantedLifetimeSeconds);
            else responses.SendError(context, StunErrorCode.AllocationMismatch, withIntegrity: true);
            return;
        }
        // 3. to 7.: the request's attributes.
        if (AllocateAttributes.Read(request, out var attributes) is { } invalid)
        {
            responses.SendError(context, invalid.Code, invalid.Reason, withIntegrity: true);
            return;
        }
        // A node that is draining or full sends the client on when it knows where (300), else refuses below.
        if (redirect is not null && redirect.TrySendNow(context)) return;
        // A draining relay keeps its allocations but takes no new one.
        if (table.IsDraining)
        {
            metrics.RecordQuotaRejection(StunErrorCode.InsufficientCapacity, QuotaRejectionReason.Draining);
            events.Raise(RelayEventKind.QuotaRejected, null, context, DrainingReason);
            responses.SendError(context, StunErrorCode.InsufficientCapacity, DrainingReason, withIntegrity: true);
            return;
        }
        if (!planner.TryPlan(context, request, attributes, out var plan))
        {
            responses.SendError(context, StunErrorCode.AddressFamilyNotSupported, withIntegrity: true);
            return;
        }
        commit.Commit(context, plan, attributes);
    }
}
