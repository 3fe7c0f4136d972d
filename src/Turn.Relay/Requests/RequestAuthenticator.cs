using Turn.Protocol;
using Turn.Relay.Allocations;
using Turn.Relay.Auth;
using Turn.Relay.Diagnostics;
using Turn.Relay.Engine;
using Turn.Relay.Seams;

namespace Turn.Relay.Requests;

/// <summary>
/// The long-term credential mechanism's checks that need the store (RFC 8489 section 9.2.4), after the
/// pre-authentication stage checked the shape and the nonce: USERHASH to a user name,
/// MESSAGE-INTEGRITY(-SHA256) against the candidate keys, and that a request on an allocation comes from
/// the allocation's user. Each refusal is answered here and counted as an authentication failure.
/// </summary>
internal sealed class RequestAuthenticator(IUserHashResolver? userHashes, AllocationTable table,
    ResponseWriter responses, RelayEventPublisher events, RelayMetrics metrics)
{
    /// <summary>A USERHASH request gets its user name (RFC 8489 section 14.4); false when no user has that hash.</summary>
    public async ValueTask<bool> ResolveUserHashAsync(RequestContext context, CancellationToken cancellationToken)
    {
        if (context.UserHash is not { } userHash) return true;
        // The hash is SHA-256(username:REALM), REALM being the offered realm.
        var name = await userHashes!.FindUserNameByHashAsync(context.OfferedRealm, userHash, cancellationToken).ConfigureAwait(false);
        if (name is null)
        {
            Refuse(context, "unknown_user");
            return false;
        }
        context.Username = name;
        return true;
    }

    // RFC 8489 section 9.2.4, the check that needs the key. False when answered already.
    public bool Authenticate(RequestContext context, CredentialLookup lookup)
    {
        context.TenantRealm = lookup.TenantRealm;
        context.QuotaUser = lookup.QuotaUser;
        StunMessageReader.TryParse(context.Message, out var request);
        if (!TryMatchKey(context, request, lookup, out var key)) return false;
        context.Key = key;
        context.Connection.MarkAuthenticated();
        return true;
    }

    // RFC 8656 section 6.2: later requests on an allocation must come from the same user.
    // An Allocate on a used 5-tuple gets 437 from its handler instead.
    public bool CheckAllocationOwner(RequestContext context)
    {
        if (context.Method == StunMethod.Allocate
            || !table.TryGet(context.Connection.Key, out var existing)
            || (string.Equals(existing.Username, context.Username, StringComparison.Ordinal)
                && string.Equals(existing.Realm, context.TenantRealm, StringComparison.Ordinal))) return true;
        metrics.RecordAuthFailure(context.Connection.Transport, "wrong_user");
        events.Raise(RelayEventKind.AuthenticationFailed, existing, context, "wrong_user");
        responses.SendError(context, StunErrorCode.WrongCredentials, withIntegrity: false);
        return false;
    }

    // The candidate key (and TURN REST secret) the request's integrity verifies with; 401 when none does.
    private bool TryMatchKey(RequestContext context, in StunMessageReader request, CredentialLookup lookup, out byte[] matched)
    {
        for (var i = 0; i < lookup.Keys.Count; i++)
        {
            var key = lookup.Keys[i];
            var ok = context.UseSha256 ? request.VerifyMessageIntegritySha256(key) : request.VerifyMessageIntegrity(key);
            if (ok)
            {
                matched = key;
                context.SigningSecret = lookup.Secrets?[i];
                return true;
            }
        }
        matched = [];
        Refuse(context, lookup.IsExpired ? "expired" : lookup.Keys.Count == 0 ? "unknown_user" : "bad_integrity");
        return false;
    }

    private void Refuse(RequestContext context, string reason)
    {
        metrics.RecordAuthFailure(context.Connection.Transport, reason);
        events.Raise(RelayEventKind.AuthenticationFailed, null, context, reason);
        responses.SendChallenge(context, StunErrorCode.Unauthorized);
    }
}
