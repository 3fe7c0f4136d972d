using Turn.Protocol;
using Turn.Relay.Allocations;
using Turn.Relay.Engine;
using Turn.Relay.Requests;
using Turn.Relay.Seams;
using Turn.Relay.State;

namespace Turn.Relay.Methods;

/// <summary>Refresh (RFC 8656 section 8): a new lifetime for the allocation, or its end with LIFETIME 0.</summary>
internal sealed class RefreshHandler(AllocationTable table, ResponseWriter responses, RelayEventPublisher events,
    RelayStateChanges changes, TimeProvider time)
{
    public void Handle(RequestContext context, in StunMessageReader request)
    {
        if (!table.TryGetLive(context.Connection.Key, out var allocation))
        {
            responses.SendError(context, StunErrorCode.AllocationMismatch, withIntegrity: true);
            return;
        }
        // REQUESTED-ADDRESS-FAMILY in a Refresh must match the allocation's family (443).
        if (request.TryGetAttribute(StunAttributeType.RequestedAddressFamily, out var familyAttribute)
            && (!familyAttribute.TryReadAddressFamily(out var family) || family != allocation.RelayedAddress.Family))
        {
            responses.SendError(context, StunErrorCode.PeerAddressFamilyMismatch, withIntegrity: true);
            return;
        }
        uint granted;
        if (request.TryGetUInt32(StunAttributeType.Lifetime, out var requested) && requested == 0)
        {
            table.Delete(allocation, "refresh lifetime 0");
            granted = 0;
        }
        else
        {
            var lifetime = GrantedLifetime.For(request);
            allocation.ExpiresAt = time.GetTimestamp() + time.Ticks(lifetime);
            granted = (uint)lifetime.TotalSeconds;
            changes.MarkChanged();
            events.Raise(RelayEventKind.AllocationRefreshed, allocation, context, null);
        }
        var buffer = ResponseWriter.RentBuffer();
        try
        {
            var writer = responses.StartResponse(buffer, context, StunClass.SuccessResponse);
            writer.WriteLifetime(granted);
            responses.Finish(ref writer, context, withIntegrity: true, error: null);
        }
        finally
        {
            ResponseWriter.ReturnBuffer(buffer);
        }
    }
}
