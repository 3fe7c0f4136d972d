using Turn.Protocol;
using Turn.Relay.Allocations;
using Turn.Relay.Requests;

namespace Turn.Relay.Methods;

/// <summary>The Allocate success response (RFC 8656 section 7.3), also resent for a retransmitted Allocate.</summary>
internal sealed class AllocateSuccessResponse(ResponseWriter responses)
{
    /// <param name="refuseAdditional">ADDITIONAL-ADDRESS-FAMILY asked for IPv6 too: refused in ADDRESS-ERROR-CODE.</param>
    public void Send(RequestContext context, Allocation allocation, uint lifetimeSeconds, bool refuseAdditional = false)
    {
        var buffer = ResponseWriter.RentBuffer();
        try
        {
            var writer = responses.StartResponse(buffer, context, StunClass.SuccessResponse);
            writer.WriteXorAddress(StunAttributeType.XorRelayedAddress, allocation.RelayedAddress);
            writer.WriteLifetime(lifetimeSeconds);
            if (allocation.ReservationToken != 0) writer.WriteReservationToken(allocation.ReservationToken);
            writer.WriteXorAddress(StunAttributeType.XorMappedAddress, context.Connection.Remote);
            if (refuseAdditional)
            {
                writer.WriteAddressErrorCode(StunAddressFamily.IPv6, (int)StunErrorCode.AddressFamilyNotSupported,
                    StunReasonPhrases.Get(StunErrorCode.AddressFamilyNotSupported));
            }
            responses.Finish(ref writer, context, withIntegrity: true, error: null);
        }
        finally
        {
            ResponseWriter.ReturnBuffer(buffer);
        }
    }
}
