using System.Text;
using Turn.Protocol;
using Turn.Relay.Auth;
using Turn.Relay.Redirects;
using Turn.Relay.Transports;

namespace Turn.Relay.Requests;

/// <summary>
/// The pre-authentication stage (issue 13), run on the receiving thread before any credential or USERHASH
/// lookup, with no I/O and no state: the shape checks (<see cref="RequestShapeCheck"/>: method, attributes,
/// sizes, control characters), then the nonce, whose MAC binds the client's address and port and the realm
/// it was offered with. A request without a nonce of ours for this client and its REALM gets 401 with a fresh
/// nonce for the realm the selector picks; a stale one gets 438 with a fresh nonce for the same realm. Every
/// answer here is unauthenticated and goes through the per-source budget. Only a request that passes may
/// reach the stores.
/// </summary>
internal sealed class PreAuthentication(RequestShapeCheck shape, NonceService nonces, UnauthenticatedResponder answers,
    AllocateRedirect? redirect = null)
{
    /// <summary>True when the request may go on (<paramref name="passed"/> filled); false when it was answered or dropped.</summary>
    public bool TryPass(ClientConnection client, in StunMessageReader request, out PreAuthenticatedRequest passed)
    {
        passed = default;
        switch (shape.Check(request))
        {
            case ShapeVerdict.Ok:
                break;
            case ShapeVerdict.UnknownMethod:
                answers.SendError(client, request, StunErrorCode.BadRequest, "Unknown method");
                return false;
            case ShapeVerdict.NoIntegrity:
                // A node that would refuse a new allocation sends the first Allocate on at once, before any challenge:
                // the one point at which Chromium can follow a redirect (docs/CLUSTER-DEPLOY.md, "Redirects").
                if (request.Method == StunMethod.Allocate && redirect is not null && redirect.TryRedirectNow(client, out var alternate))
                {
                    answers.SendAlternate(client, request, alternate);
                    return false;
                }
                // The usual first round trip of the long-term mechanism: not counted as a failure.
                answers.SendChallenge(client, request, StunErrorCode.Unauthorized, offeredRealm: null);
                return false;
            case ShapeVerdict.MissingCredentials:
                answers.SendError(client, request, StunErrorCode.BadRequest, "Missing or invalid USERNAME, REALM or NONCE");
                return false;
            case ShapeVerdict.AlgorithmMismatch:
                answers.SendError(client, request, StunErrorCode.BadRequest, "PASSWORD-ALGORITHM(S) do not match the offer");
                return false;
            default:
                answers.SendError(client, request, StunErrorCode.BadRequest, "Control character or invalid UTF-8 in USERNAME or REALM");
                return false;
        }
        request.TryGetValue(StunAttributeType.Realm, out var realm);
        request.TryGetValue(StunAttributeType.Nonce, out var nonce);
        switch (nonces.Check(nonce, client.Remote, realm))
        {
            case NonceCheck.Invalid:
                // Not ours, another client's, or offered with another realm than this REALM: start over.
                answers.SendChallenge(client, request, StunErrorCode.Unauthorized, offeredRealm: null);
                return false;
            case NonceCheck.Stale:
                // Ours for this realm: the realm stays, only the nonce is renewed.
                answers.SendChallenge(client, request, StunErrorCode.StaleNonce, Encoding.UTF8.GetString(realm));
                return false;
        }
        var hasUsername = request.TryGetValue(StunAttributeType.Username, out var username);
        byte[]? userHash = null;
        if (!hasUsername && request.TryGetValue(StunAttributeType.UserHash, out var hash)) userHash = hash.ToArray();
        passed = new PreAuthenticatedRequest(request.Method, hasUsername ? Encoding.UTF8.GetString(username) : "", userHash,
            Encoding.UTF8.GetString(realm), request.HasMessageIntegritySha256, request.HasFingerprint);
        return true;
    }
}
