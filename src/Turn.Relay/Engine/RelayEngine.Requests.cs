using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;
using Turn.Protocol;
using Turn.Relay.Allocations;
using Turn.Relay.Auth;
using Turn.Relay.Diagnostics;
using Turn.Relay.Seams;
using Turn.Relay.Transports;

namespace Turn.Relay.Engine;

internal sealed partial class RelayEngine
{
    private static readonly PasswordAlgorithm[] OfferedAlgorithms = [PasswordAlgorithm.Md5];

    // RFC 8489 section 14: USERNAME < 513 bytes, REALM and NONCE < 763 bytes.
    private const int MaxUsernameBytes = 512;
    private const int MaxRealmBytes = 762;

    // A store failure repeats with every request while its database is down: logged at most once per interval.
    private static readonly TimeSpan RequestFailureLogInterval = TimeSpan.FromSeconds(30);

    private readonly LogThrottle _requestFailureLog = new();

    private void AnswerBinding(ClientConnection client, in StunMessageReader request)
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
        if (_softwareBytes.Length > 0) writer.WriteAttribute(StunAttributeType.Software, _softwareBytes);
        if (request.HasFingerprint) writer.WriteFingerprint();
        if (writer.HasFailed) return;
        client.Send(writer.WrittenSpan);
        _metrics.RecordRequest(StunMethod.Binding, unknownCount > 0 ? 420 : 0);
    }

    private async Task ProcessRequestAsync(RequestContext context)
    {
        try
        {
            if (!Prepare(context)) return;
            if (context.UserHash is { } userHash)
            {
                var name = await _userHashes!.FindUserNameByHashAsync(context.Realm, userHash, _stopping.Token).ConfigureAwait(false);
                if (name is null)
                {
                    _metrics.RecordAuthFailure(context.Connection.Transport, "unknown_user");
                    Raise(RelayEventKind.AuthenticationFailed, null, context, "unknown_user");
                    SendChallenge(context, 401, "Unauthorized");
                    return;
                }
                context.Username = name;
            }
            var lookup = await _credentials.ResolveAsync(context.Realm, context.Username, _stopping.Token).ConfigureAwait(false);
            if (!Authenticate(context, lookup)) return;
            if (context.Method is StunMethod.Allocate or StunMethod.CreatePermission or StunMethod.ChannelBind && _policies is not null)
            {
                context.RealmPolicy = await _policies.GetPolicyAsync(context.Realm, _stopping.Token).ConfigureAwait(false);
                context.GlobalPolicy = await _policies.GetPolicyAsync("", _stopping.Token).ConfigureAwait(false);
            }
            Dispatch(context);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down: the client will retransmit elsewhere.
        }
        catch (Exception ex)
        {
            // A store failure (database down) must not kill the server: answer 500 (counted in turn.requests) and log
            // it, but not once per request.
            if (_requestFailureLog.TryEnter(_time.GetTimestamp(), (long)(RequestFailureLogInterval.TotalSeconds * _time.TimestampFrequency), out var heldBack))
                LogRequestFailed(_logger, context.Method.ToString(), context.Connection.Remote.ToString(), heldBack, RequestFailureLogInterval.TotalSeconds, ex);
            SendError(context, 500, "Server Error", withIntegrity: false);
        }
        finally
        {
            Interlocked.Decrement(ref _requestsInFlight);
            ArrayPool<byte>.Shared.Return(context.Buffer);
            if (context.Cached && _responses.TryGetValue(context.CacheKey, out var entry) && entry.Bytes is null)
                _responses.TryRemove(context.CacheKey, out _);
        }
    }

    // RFC 8489 section 9.2.4, the checks that need no key. False when answered already.
    private bool Prepare(RequestContext context)
    {
        StunMessageReader.TryParse(context.Message, out var request);
        context.Method = request.Method;
        context.WantsFingerprint = request.HasFingerprint;
        if (request.Method is not (StunMethod.Allocate or StunMethod.Refresh or StunMethod.CreatePermission or StunMethod.ChannelBind))
        {
            SendError(context, 400, "Unknown method", withIntegrity: false);
            return false;
        }
        if (!request.HasMessageIntegrity && !request.HasMessageIntegritySha256)
        {
            // The usual first round trip of the long-term mechanism: not counted as a failure.
            SendChallenge(context, 401, "Unauthorized");
            return false;
        }
        var hasUsername = request.TryGetValue(StunAttributeType.Username, out var username);
        var hasUserHash = !hasUsername && _userHashes is not null
            && request.TryGetValue(StunAttributeType.UserHash, out var userHash) && userHash.Length == UserHash.Length;
        if (hasUserHash && request.TryGetValue(StunAttributeType.UserHash, out var hash)) context.UserHash = hash.ToArray();
        if ((!hasUsername && !hasUserHash)
            || !request.TryGetValue(StunAttributeType.Realm, out var realm)
            || !request.TryGetValue(StunAttributeType.Nonce, out _)
            || (hasUsername && (username.Length == 0 || username.Length > MaxUsernameBytes)) || realm.Length > MaxRealmBytes)
        {
            // A USERHASH without a resolver lands here: we then never announce username anonymity.
            SendError(context, 400, "Missing or invalid USERNAME, REALM or NONCE", withIntegrity: false);
            return false;
        }
        // Password algorithm downgrade protection (RFC 8489 section 9.2.4): either both attributes,
        // matching what we offered, or neither (MD5).
        var hasAlgorithms = request.TryGetAttribute(StunAttributeType.PasswordAlgorithms, out var algorithms);
        var hasAlgorithm = request.TryGetAttribute(StunAttributeType.PasswordAlgorithm, out var algorithm);
        if (hasAlgorithms || hasAlgorithm)
        {
            Span<PasswordAlgorithm> listed = stackalloc PasswordAlgorithm[4];
            if (!hasAlgorithms || !hasAlgorithm
                || !algorithms.TryReadPasswordAlgorithms(listed, out var count) || count != OfferedAlgorithms.Length
                || !listed[..count].SequenceEqual(OfferedAlgorithms)
                || !algorithm.TryReadPasswordAlgorithm(out var chosen, out _) || chosen != PasswordAlgorithm.Md5)
            {
                SendError(context, 400, "PASSWORD-ALGORITHM(S) do not match the offer", withIntegrity: false);
                return false;
            }
        }
        try
        {
            if (hasUsername) context.Username = StrictUtf8.GetString(username);
            context.Realm = StrictUtf8.GetString(realm);
        }
        catch (DecoderFallbackException)
        {
            SendError(context, 400, "USERNAME or REALM is not UTF-8", withIntegrity: false);
            return false;
        }
        context.UseSha256 = request.HasMessageIntegritySha256;
        return true;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // RFC 8489 section 9.2.4, the checks that need the key. False when answered already.
    private bool Authenticate(RequestContext context, CredentialLookup lookup)
    {
        StunMessageReader.TryParse(context.Message, out var request);
        byte[]? matched = null;
        for (var i = 0; i < lookup.Keys.Count; i++)
        {
            var key = lookup.Keys[i];
            var ok = context.UseSha256 ? request.VerifyMessageIntegritySha256(key) : request.VerifyMessageIntegrity(key);
            if (ok)
            {
                matched = key;
                context.SigningSecret = lookup.Secrets?[i];
                break;
            }
        }
        if (matched is null)
        {
            var reason = lookup.IsExpired ? "expired" : lookup.Keys.Count == 0 ? "unknown_user" : "bad_integrity";
            _metrics.RecordAuthFailure(context.Connection.Transport, reason);
            Raise(RelayEventKind.AuthenticationFailed, null, context, reason);
            SendChallenge(context, 401, "Unauthorized");
            return false;
        }
        request.TryGetValue(StunAttributeType.Nonce, out var nonce);
        if (_nonces.Check(nonce, context.Connection.Remote) != NonceCheck.Valid)
        {
            SendChallenge(context, 438, "Stale Nonce");
            return false;
        }
        context.Key = matched;
        // RFC 8656 section 6.2: later requests on an allocation must come from the same user.
        // An Allocate on a used 5-tuple gets 437 from its handler instead.
        if (context.Method != StunMethod.Allocate
            && _byFiveTuple.TryGetValue(context.Connection.Key, out var existing)
            && (!string.Equals(existing.Username, context.Username, StringComparison.Ordinal)
                || !string.Equals(existing.Realm, context.Realm, StringComparison.Ordinal)))
        {
            _metrics.RecordAuthFailure(context.Connection.Transport, "wrong_user");
            Raise(RelayEventKind.AuthenticationFailed, existing, context, "wrong_user");
            SendError(context, 441, "Wrong Credentials", withIntegrity: false);
            return false;
        }
        return true;
    }

    private void Dispatch(RequestContext context)
    {
        StunMessageReader.TryParse(context.Message, out var request);
        Span<ushort> unknown = stackalloc ushort[8];
        var unknownCount = request.GetUnknownComprehensionRequired(unknown);
        if (unknownCount > 0)
        {
            SendUnknownAttributes(context, unknown[..unknownCount]);
            return;
        }
        switch (context.Method)
        {
            case StunMethod.Allocate:
                HandleAllocate(context, request);
                break;
            case StunMethod.Refresh:
                HandleRefresh(context, request);
                break;
            case StunMethod.CreatePermission:
                HandleCreatePermission(context, request);
                break;
            case StunMethod.ChannelBind:
                HandleChannelBind(context, request);
                break;
        }
    }

    // ---- Responses ---------------------------------------------------------------------------

    private StunMessageWriter StartResponse(Span<byte> buffer, RequestContext context, StunClass messageClass)
    {
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(context.Method, messageClass, context.TransactionId);
        if (_softwareBytes.Length > 0) writer.WriteAttribute(StunAttributeType.Software, _softwareBytes);
        return writer;
    }

    private void Finish(ref StunMessageWriter writer, RequestContext context, bool withIntegrity, int errorCode)
    {
        if (withIntegrity && context.Key is { } key)
        {
            if (context.UseSha256) writer.WriteMessageIntegritySha256(key);
            else writer.WriteMessageIntegrity(key);
        }
        if (context.WantsFingerprint) writer.WriteFingerprint();
        if (writer.HasFailed)
        {
            LogResponseTooLarge(_logger, context.Method.ToString());
            return;
        }
        var response = writer.WrittenSpan;
        if (context.Cached && _responses.TryGetValue(context.CacheKey, out var entry)) entry.Bytes = response.ToArray();
        context.Connection.Send(response);
        _metrics.RecordRequest(context.Method, errorCode);
    }

    private void SendError(RequestContext context, int code, string reason, bool withIntegrity)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ResponseBufferSize);
        try
        {
            var writer = StartResponse(buffer, context, StunClass.ErrorResponse);
            writer.WriteErrorCode(code, reason.Length > StunMessageWriter.MaxReasonPhraseCharacters ? reason[..StunMessageWriter.MaxReasonPhraseCharacters] : reason);
            Finish(ref writer, context, withIntegrity, code);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // 401 and 438 carry REALM, a fresh NONCE and the password algorithms we accept (RFC 8489 9.2.4).
    private void SendChallenge(RequestContext context, int code, string reason)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ResponseBufferSize);
        try
        {
            var writer = StartResponse(buffer, context, StunClass.ErrorResponse);
            writer.WriteErrorCode(code, reason);
            writer.WriteString(StunAttributeType.Realm, code == 438 && context.Realm.Length > 0 ? context.Realm : _options.DefaultRealm);
            writer.WriteString(StunAttributeType.Nonce, _nonces.Create(context.Connection.Remote));
            writer.WritePasswordAlgorithms(OfferedAlgorithms);
            Finish(ref writer, context, withIntegrity: false, code);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void SendUnknownAttributes(RequestContext context, ReadOnlySpan<ushort> unknown)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ResponseBufferSize);
        try
        {
            var writer = StartResponse(buffer, context, StunClass.ErrorResponse);
            writer.WriteErrorCode(StunErrorCode.UnknownAttribute);
            writer.WriteUnknownAttributes(unknown);
            Finish(ref writer, context, withIntegrity: true, 420);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Raise(RelayEventKind kind, Allocation? allocation, RequestContext? context, string? reason)
    {
        if (_sinks.Length == 0) return;
        var relayEvent = new RelayEvent(
            kind,
            _time.GetUtcNow(),
            allocation?.Id ?? "",
            allocation?.Username ?? context?.Username ?? "",
            allocation?.Realm ?? context?.Realm ?? "",
            (allocation?.Client ?? context?.Connection)?.RemoteEndPoint,
            (allocation?.Client ?? context?.Connection)?.Transport ?? RelayTransport.Udp,
            reason,
            allocation is null ? 0 : Volatile.Read(ref allocation.BytesFromClient),
            allocation is null ? 0 : Volatile.Read(ref allocation.BytesToClient),
            allocation is null ? 0 : Volatile.Read(ref allocation.PacketsFromClient),
            allocation is null ? 0 : Volatile.Read(ref allocation.PacketsToClient));
        foreach (var sink in _sinks)
        {
            try
            {
                sink.OnEvent(relayEvent);
            }
            catch (Exception ex)
            {
                // A faulty sink must not break the engine; it is told once per event, not per packet.
                LogSinkFailed(_logger, sink.GetType().Name, ex);
            }
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "{Method} request from {Client} failed (answered 500); {HeldBack} more failed since, not logged (at most one such line per {IntervalSeconds} s)")]
    private static partial void LogRequestFailed(ILogger logger, string method, string client, long heldBack, double intervalSeconds, Exception exception);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "A {Method} response did not fit its buffer")]
    private static partial void LogResponseTooLarge(ILogger logger, string method);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Relay event sink {Sink} failed")]
    private static partial void LogSinkFailed(ILogger logger, string sink, Exception exception);
}
