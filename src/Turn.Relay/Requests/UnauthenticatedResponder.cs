using System.Text;
using Turn.Protocol;
using Turn.Relay.Auth;
using Turn.Relay.Diagnostics;
using Turn.Relay.Realms;
using Turn.Relay.Transports;

namespace Turn.Relay.Requests;

/// <summary>
/// Answers of the pre-authentication stage, written from the request on the stack (no context, no cache
/// entry: a retransmission is simply checked again) and sent only while the source's budget lasts
/// (<see cref="UnauthenticatedAnswerBudget"/>). Kept small: SOFTWARE (Relay:Software), ERROR-CODE with the
/// standard reason phrase, and for 401/438 REALM, the 37-byte NONCE and PASSWORD-ALGORITHMS (MD5).
/// </summary>
internal sealed class UnauthenticatedResponder(UnauthenticatedAnswerBudget budget, RealmSelector realms, NonceService nonces,
    ResponseWriter responses, RelayMetrics metrics)
{
    // Header, SOFTWARE (< 128 characters), ERROR-CODE, REALM (< 763 bytes), NONCE, PASSWORD-ALGORITHMS, FINGERPRINT.
    private const int BufferSize = 1_280;

    public void SendError(ClientConnection client, in StunMessageReader request, StunErrorCode code, string reason)
    {
        if (!budget.TryTake(client.Remote)) return;
        Span<byte> buffer = stackalloc byte[BufferSize];
        var writer = Start(buffer, request);
        writer.WriteErrorCode((int)code, reason);
        Send(client, ref writer, request, code);
    }

    /// <summary>
    /// 300 Try Alternate with ALTERNATE-SERVER for a first, unauthenticated Allocate to a node that is draining or
    /// full. Deliberately without REALM and NONCE: a client (Chromium) that applied them would bring this node's nonce,
    /// which no other node accepts, and give up on the 401 it then gets while holding credentials.
    /// </summary>
    public void SendAlternate(ClientConnection client, in StunMessageReader request, in TransportAddress alternate)
    {
        if (!budget.TryTake(client.Remote)) return;
        Span<byte> buffer = stackalloc byte[BufferSize];
        var writer = Start(buffer, request);
        writer.WriteErrorCode(StunErrorCode.TryAlternate);
        writer.WriteAddress(StunAttributeType.AlternateServer, alternate);
        Send(client, ref writer, request, StunErrorCode.TryAlternate);
    }

    /// <summary>A 401 or 438 with a fresh nonce for <paramref name="offeredRealm"/>, or, when null, for the realm the selector picks.</summary>
    public void SendChallenge(ClientConnection client, in StunMessageReader request, StunErrorCode code, string? offeredRealm)
    {
        if (!budget.TryTake(client.Remote)) return;
        var realm = offeredRealm ?? realms.Select(client, request);
        Span<byte> buffer = stackalloc byte[BufferSize];
        var writer = Start(buffer, request);
        WriteChallenge(ref writer, code, realm, nonces.Create(client.Remote, realm));
        Send(client, ref writer, request, code);
    }

    /// <summary>The body of a 401/438 (RFC 8489 section 9.2.4): ERROR-CODE, REALM, NONCE, PASSWORD-ALGORITHMS.</summary>
    public static void WriteChallenge(ref StunMessageWriter writer, StunErrorCode code, string realm, string nonce)
    {
        writer.WriteErrorCode(code);
        writer.WriteString(StunAttributeType.Realm, realm);
        writer.WriteString(StunAttributeType.Nonce, nonce);
        writer.WritePasswordAlgorithms(PasswordAlgorithmOffer.Algorithms);
    }

    private StunMessageWriter Start(Span<byte> buffer, in StunMessageReader request)
    {
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(request.Method, StunClass.ErrorResponse, request.TransactionId);
        responses.WriteSoftware(ref writer);
        return writer;
    }

    private void Send(ClientConnection client, ref StunMessageWriter writer, in StunMessageReader request, StunErrorCode code)
    {
        if (request.HasFingerprint) writer.WriteFingerprint();
        if (writer.HasFailed) return;
        client.Send(writer.WrittenSpan);
        metrics.RecordRequest(request.Method, code);
    }
}
