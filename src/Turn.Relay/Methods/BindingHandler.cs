using Turn.Protocol;
using Turn.Relay.Diagnostics;
using Turn.Relay.Requests;
using Turn.Relay.Transports;

namespace Turn.Relay.Methods;

/// <summary>
/// Binding (RFC 8489 section 7.3.1): the client's address as the server sees it. No credentials,
/// no cache, no await; ICE consent checks arrive this way at the rate of the media, so it writes
/// into a stack buffer.
/// </summary>
internal sealed class BindingHandler(ResponseWriter responses, RelayMetrics metrics)
{
    public void Answer(ClientConnection client, in StunMessageReader request)
    {
        Span<ushort> unknown = stackalloc ushort[8];
        var unknownCount = request.GetUnknownComprehensionRequired(unknown);
        Span<byte> buffer = stackalloc byte[512];
        var writer = new StunMessageWriter(buffer);
        if (unknownCount > 0)
        {
            writer.WriteHeader(StunMethod.Binding, StunClass.ErrorResponse, request.TransactionId);
            writer.WriteErrorCode(StunErrorCode.UnknownAttribute);
            writer.WriteUnknownAttributes(unknown[..unknownCount]);
        }
        else
        {
            // RFC 8489 section 7.3.1: XOR-MAPPED-ADDRESS is the source address of the request.
            writer.WriteHeader(StunMethod.Binding, StunClass.SuccessResponse, request.TransactionId);
            writer.WriteXorAddress(StunAttributeType.XorMappedAddress, client.Remote);
        }
        responses.WriteSoftware(ref writer);
        if (request.HasFingerprint) writer.WriteFingerprint();
        if (writer.HasFailed) return;
        client.Send(writer.WrittenSpan);
        metrics.RecordRequest(StunMethod.Binding, unknownCount > 0 ? StunErrorCode.UnknownAttribute : null);
    }
}
