using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;
using Turn.Protocol;
using Turn.Relay.Auth;
using Turn.Relay.Diagnostics;

namespace Turn.Relay.Requests;

/// <summary>
/// Writes and sends the answers to requests that passed the pre-authentication stage: SOFTWARE first,
/// MESSAGE-INTEGRITY(-SHA256) with the request's key when asked, FINGERPRINT when the request had one. Each
/// answer is kept for retransmissions and counted in <c>turn.requests</c>. An answer to a request that has not
/// authenticated (no key yet: 401, 500) is sent only while the source's budget lasts.
/// </summary>
internal sealed partial class ResponseWriter(RelayOptions options, NonceService nonces, ResponseCache cache, UnauthenticatedAnswerBudget budget,
    RelayMetrics metrics, ILogger logger)
{
    private const int ResponseBufferSize = 2_048;

    private readonly byte[] _software = Encoding.UTF8.GetBytes(options.Software);

    /// <summary>A pooled buffer big enough for any answer; give it back with <see cref="ReturnBuffer"/>.</summary>
    public static byte[] RentBuffer() => ArrayPool<byte>.Shared.Rent(ResponseBufferSize);

    public static void ReturnBuffer(byte[] buffer) => ArrayPool<byte>.Shared.Return(buffer);

    public void WriteSoftware(ref StunMessageWriter writer)
    {
        if (_software.Length > 0) writer.WriteAttribute(StunAttributeType.Software, _software);
    }

    public StunMessageWriter StartResponse(Span<byte> buffer, RequestContext context, StunClass messageClass)
    {
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(context.Method, messageClass, context.TransactionId);
        WriteSoftware(ref writer);
        return writer;
    }

    /// <summary>Signs (when <paramref name="withIntegrity"/> and the request is authenticated), sends, caches and counts.</summary>
    public void Finish(ref StunMessageWriter writer, RequestContext context, bool withIntegrity, StunErrorCode? error)
    {
        if (withIntegrity && context.Key is { } key)
        {
            if (context.UseSha256) writer.WriteMessageIntegritySha256(key);
            else writer.WriteMessageIntegrity(key);
        }
        if (context.WantsFingerprint) writer.WriteFingerprint();
        if (writer.HasFailed)
        {
            LogResponseTooLarge(logger, context.Method.ToString());
            return;
        }
        // Not cached when dropped: a retransmission is then answered if the budget allows by then.
        if (context.Key is null && !budget.TryTake(context.Connection.Remote)) return;
        var response = writer.WrittenSpan;
        cache.Store(context, response);
        context.Connection.Send(response);
        metrics.RecordRequest(context.Method, error);
    }

    /// <summary>An error response with the standard reason phrase.</summary>
    public void SendError(RequestContext context, StunErrorCode code, bool withIntegrity) =>
        SendError(context, code, StunReasonPhrases.Get(code), withIntegrity);

    public void SendError(RequestContext context, StunErrorCode code, string reason, bool withIntegrity)
    {
        var buffer = RentBuffer();
        try
        {
            var writer = StartResponse(buffer, context, StunClass.ErrorResponse);
            writer.WriteErrorCode((int)code, reason.Length > StunMessageWriter.MaxReasonPhraseCharacters ? reason[..StunMessageWriter.MaxReasonPhraseCharacters] : reason);
            Finish(ref writer, context, withIntegrity, code);
        }
        finally
        {
            ReturnBuffer(buffer);
        }
    }

    // A 401 after the nonce check (unknown user, wrong integrity): the realm stays the one the request's nonce
    // was offered with (RFC 8489 9.2.4: REALM, a fresh NONCE, the password algorithms we accept).
    public void SendChallenge(RequestContext context, StunErrorCode code)
    {
        var buffer = RentBuffer();
        try
        {
            var writer = StartResponse(buffer, context, StunClass.ErrorResponse);
            UnauthenticatedResponder.WriteChallenge(ref writer, code, context.OfferedRealm, nonces.Create(context.Connection.Remote, context.OfferedRealm));
            Finish(ref writer, context, withIntegrity: false, code);
        }
        finally
        {
            ReturnBuffer(buffer);
        }
    }

    /// <summary>300 Try Alternate with ALTERNATE-SERVER, signed with the request's key (RFC 8489 section 10).</summary>
    public void SendAlternate(RequestContext context, in TransportAddress alternate)
    {
        var buffer = RentBuffer();
        try
        {
            var writer = StartResponse(buffer, context, StunClass.ErrorResponse);
            writer.WriteErrorCode(StunErrorCode.TryAlternate);
            writer.WriteAddress(StunAttributeType.AlternateServer, alternate);
            Finish(ref writer, context, withIntegrity: true, StunErrorCode.TryAlternate);
        }
        finally
        {
            ReturnBuffer(buffer);
        }
    }

    public void SendUnknownAttributes(RequestContext context, ReadOnlySpan<ushort> unknown)
    {
        var buffer = RentBuffer();
        try
        {
            var writer = StartResponse(buffer, context, StunClass.ErrorResponse);
            writer.WriteErrorCode(StunErrorCode.UnknownAttribute);
            writer.WriteUnknownAttributes(unknown);
            Finish(ref writer, context, withIntegrity: true, StunErrorCode.UnknownAttribute);
        }
        finally
        {
            ReturnBuffer(buffer);
        }
    }

    /// <summary>A success with no attributes of its own (CreatePermission, ChannelBind).</summary>
    public void SendEmptySuccess(RequestContext context)
    {
        var buffer = RentBuffer();
        try
        {
            var writer = StartResponse(buffer, context, StunClass.SuccessResponse);
            Finish(ref writer, context, withIntegrity: true, error: null);
        }
        finally
        {
            ReturnBuffer(buffer);
        }
    }

    [LoggerMessage(EventId = 1402, Level = LogLevel.Error, Message = "A {Method} response did not fit its buffer")]
    private static partial void LogResponseTooLarge(ILogger logger, string method);
}
