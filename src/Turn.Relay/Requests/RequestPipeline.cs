using System.Buffers;
using Microsoft.Extensions.Logging;
using Turn.Protocol;
using Turn.Relay.Allocations;
using Turn.Relay.Auth;
using Turn.Relay.Diagnostics;
using Turn.Relay.Methods;
using Turn.Relay.Seams;
using Turn.Relay.Transports;

namespace Turn.Relay.Requests;

/// <summary>
/// Every STUN request from a client goes through these stages, cheapest first; any may refuse it:
/// <list type="number">
/// <item>Binding needs no credentials: answered at once (<see cref="BindingHandler"/>), within the source's budget of
/// unauthenticated answers (<see cref="UnauthenticatedAnswerBudget"/>) unless the 5-tuple has an allocation or the
/// connection authenticated.</item>
/// <item>A retransmission gets the first answer (<see cref="ResponseCache"/>).</item>
/// <item>Pre-authentication (<see cref="PreAuthentication"/>): shape and characters, then the nonce's MAC for this client
/// and REALM; refusals (400, 401, 438) are answered within the budget. No store is asked before this passes.</item>
/// <item>Admission: requests in flight per source, per prefix and in all (<see cref="RequestAdmission"/>); refusals are silent.</item>
/// <item>USERHASH to a user name, then the credential lookup (<see cref="CredentialResolver"/>).</item>
/// <item>MESSAGE-INTEGRITY(-SHA256), allocation owner (<see cref="RequestAuthenticator"/>).</item>
/// <item>Realm policies, for the methods that check quotas, bandwidth or peers; for Allocate in a cluster, what the user
/// holds on the other nodes (<see cref="AllocateClusterQuota"/>).</item>
/// <item>The method handler (<see cref="MethodDispatcher"/>).</item>
/// </list>
/// The first four run on the receiving thread; the rest run asynchronously, as the lookups may
/// await the stores.
/// </summary>
internal sealed partial class RequestPipeline(AllocationTable table, BindingHandler binding, ResponseCache cache, UnauthenticatedAnswerBudget budget,
    PreAuthentication preAuthentication, RequestAdmission admission, RequestAuthenticator authenticator, CredentialResolver credentials,
    IRealmPolicyStore? policies, MethodDispatcher dispatcher, ResponseWriter responses, TimeProvider time, ILogger logger, CancellationToken stopping,
    AllocateClusterQuota? clusterQuota = null)
{
    // A store failure repeats with every request while its database is down: logged at most once per interval.
    private static readonly TimeSpan RequestFailureLogInterval = TimeSpan.FromSeconds(30);

    private readonly LogThrottle _requestFailureLog = new();

    /// <summary>A parsed request from the client at <paramref name="fiveTuple"/>; <paramref name="data"/> is only borrowed.</summary>
    public void Accept(in FiveTupleKey fiveTuple, IDatagramEndpoint? endpoint, ClientConnection? connection,
        in StunMessageReader request, ReadOnlySpan<byte> data)
    {
        table.TryGet(fiveTuple, out var existing);
        var client = existing?.Client ?? connection ?? endpoint!.CreateConnection(fiveTuple.Client);
        if (request.Method == StunMethod.Binding)
        {
            // A client that proved itself (an allocation, an authenticated connection) is not charged for keepalives.
            if (existing is null && !client.IsAuthenticated && !budget.TryTake(client.Remote)) return;
            binding.Answer(client, request);
            return;
        }

        // RFC 8489 section 6.3.1: only requests over UDP are retransmitted, so only their answers are kept; a stream
        // connection's requests are answered once, without an entry held for 40 s each.
        var udp = client.Transport == RelayTransport.Udp;
        var cacheKey = new ResponseCacheKey(request.TransactionId, fiveTuple);
        if (udp && cache.TryGetRetransmission(cacheKey, out var cached))
        {
            // A retransmission: same answer, or nothing while the first copy is being answered.
            if (cached is not null) client.Send(cached);
            return;
        }
        if (!preAuthentication.TryPass(client, request, out var passed)) return;
        if (!admission.TryEnter(client.Remote, out var slots)) return;
        var isCached = udp && cache.TryBegin(cacheKey);
        // The reader cannot cross an await: the request is copied and parsed again by each stage.
        var copy = ArrayPool<byte>.Shared.Rent(data.Length);
        data.CopyTo(copy);
        _ = ProcessAsync(new RequestContext(client, copy, data.Length, cacheKey, isCached, slots)
        {
            Method = passed.Method,
            Username = passed.Username,
            UserHash = passed.UserHash,
            OfferedRealm = passed.OfferedRealm,
            TenantRealm = passed.OfferedRealm,
            QuotaUser = passed.Username,
            UseSha256 = passed.UseSha256,
            WantsFingerprint = passed.WantsFingerprint,
        });
    }

    private async Task ProcessAsync(RequestContext context)
    {
        try
        {
            if (!await authenticator.ResolveUserHashAsync(context, stopping).ConfigureAwait(false)) return;
            var lookup = await credentials.ResolveAsync(context.OfferedRealm, context.Username, stopping).ConfigureAwait(false);
            if (!authenticator.Authenticate(context, lookup)) return;
            credentials.Authenticated(context.SigningSecret, context.Username, context.OfferedRealm, context.Key!);
            if (!authenticator.CheckAllocationOwner(context)) return;
            await LoadPoliciesAsync(context).ConfigureAwait(false);
            if (clusterQuota is not null && context.Method == StunMethod.Allocate) await clusterQuota.LoadAsync(context, stopping).ConfigureAwait(false);
            dispatcher.Dispatch(context);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: the client will retransmit elsewhere.
        }
        catch (Exception ex)
        {
            // A store failure (database down) must not kill the server: answer 500 (counted in turn.requests) and log
            // it, but not once per request.
            if (_requestFailureLog.TryEnter(time.GetTimestamp(), time.Ticks(RequestFailureLogInterval), out var heldBack))
                LogRequestFailed(logger, context.Method.ToString(), context.Connection.Remote.ToString(), heldBack, RequestFailureLogInterval.TotalSeconds, ex);
            responses.SendError(context, StunErrorCode.ServerError, withIntegrity: false);
        }
        finally
        {
            clusterQuota?.Settle(context);
            admission.Leave(context.Admission);
            ArrayPool<byte>.Shared.Return(context.Buffer);
            cache.RemoveIfUnanswered(context);
        }
    }

    // The realm's and the server-wide policy, for the methods that check quotas, bandwidth or peers.
    private async ValueTask LoadPoliciesAsync(RequestContext context)
    {
        if (policies is null || context.Method is not (StunMethod.Allocate or StunMethod.CreatePermission or StunMethod.ChannelBind)) return;
        context.RealmPolicy = await policies.GetPolicyAsync(context.TenantRealm, stopping).ConfigureAwait(false);
        context.GlobalPolicy = await policies.GetPolicyAsync("", stopping).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Error, Message = "{Method} request from {Client} failed (answered 500); {HeldBack} more failed since, not logged (at most one such line per {IntervalSeconds} s)")]
    private static partial void LogRequestFailed(ILogger logger, string method, string client, long heldBack, double intervalSeconds, Exception exception);
}
