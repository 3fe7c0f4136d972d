using System.Text;
using Turn.Protocol;

namespace Turn.Relay.Requests;

/// <summary>
/// The checks a request passes before any key is looked up (RFC 8489 section 9.2.4, those that
/// need no key): a method the server answers, MESSAGE-INTEGRITY present (else the first 401),
/// USERNAME or USERHASH, REALM and NONCE present and within size, PASSWORD-ALGORITHM(S) matching
/// the offer, USERNAME and REALM in UTF-8. Fills the context's user and realm.
/// </summary>
internal sealed class RequestShapeCheck(ResponseWriter responses, bool acceptsUserHash)
{
    // RFC 8489 section 14: USERNAME < 513 bytes, REALM and NONCE < 763 bytes.
    private const int MaxUsernameBytes = 512;
    private const int MaxRealmBytes = 762;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>False when the request was refused (and answered).</summary>
    public bool Check(RequestContext context)
    {
        StunMessageReader.TryParse(context.Message, out var request);
        context.Method = request.Method;
        context.WantsFingerprint = request.HasFingerprint;
        if (request.Method is not (StunMethod.Allocate or StunMethod.Refresh or StunMethod.CreatePermission or StunMethod.ChannelBind))
        {
            responses.SendError(context, StunErrorCode.BadRequest, "Unknown method", withIntegrity: false);
            return false;
        }
        if (!request.HasMessageIntegrity && !request.HasMessageIntegritySha256)
        {
            // The usual first round trip of the long-term mechanism: not counted as a failure.
            responses.SendChallenge(context, StunErrorCode.Unauthorized);
            return false;
        }
        var hasUsername = request.TryGetValue(StunAttributeType.Username, out var username);
        var hasUserHash = !hasUsername && acceptsUserHash
            && request.TryGetValue(StunAttributeType.UserHash, out var userHash) && userHash.Length == UserHash.Length;
        if (hasUserHash && request.TryGetValue(StunAttributeType.UserHash, out var hash)) context.UserHash = hash.ToArray();
        if ((!hasUsername && !hasUserHash)
            || !request.TryGetValue(StunAttributeType.Realm, out var realm)
            || !request.TryGetValue(StunAttributeType.Nonce, out _)
            || (hasUsername && (username.Length == 0 || username.Length > MaxUsernameBytes)) || realm.Length > MaxRealmBytes)
        {
            // A USERHASH without a resolver lands here: we then never announce username anonymity.
            responses.SendError(context, StunErrorCode.BadRequest, "Missing or invalid USERNAME, REALM or NONCE", withIntegrity: false);
            return false;
        }
        if (!MatchesOffer(request))
        {
            responses.SendError(context, StunErrorCode.BadRequest, "PASSWORD-ALGORITHM(S) do not match the offer", withIntegrity: false);
            return false;
        }
        try
        {
            if (hasUsername) context.Username = StrictUtf8.GetString(username);
            context.Realm = StrictUtf8.GetString(realm);
        }
        catch (DecoderFallbackException)
        {
            responses.SendError(context, StunErrorCode.BadRequest, "USERNAME or REALM is not UTF-8", withIntegrity: false);
            return false;
        }
        context.UseSha256 = request.HasMessageIntegritySha256;
        return true;
    }

    // Password algorithm downgrade protection (RFC 8489 section 9.2.4): either both attributes,
    // matching what we offered, or neither (MD5).
    private static bool MatchesOffer(in StunMessageReader request)
    {
        var hasAlgorithms = request.TryGetAttribute(StunAttributeType.PasswordAlgorithms, out var algorithms);
        var hasAlgorithm = request.TryGetAttribute(StunAttributeType.PasswordAlgorithm, out var algorithm);
        if (!hasAlgorithms && !hasAlgorithm) return true;
        Span<PasswordAlgorithm> listed = stackalloc PasswordAlgorithm[4];
        return hasAlgorithms && hasAlgorithm
            && algorithms.TryReadPasswordAlgorithms(listed, out var count) && count == PasswordAlgorithmOffer.Algorithms.Length
            && listed[..count].SequenceEqual(PasswordAlgorithmOffer.Algorithms)
            && algorithm.TryReadPasswordAlgorithm(out var chosen, out _) && chosen == PasswordAlgorithm.Md5;
    }
}
