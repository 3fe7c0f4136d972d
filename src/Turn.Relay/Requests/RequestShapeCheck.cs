using System.Text.Unicode;
using Turn.Protocol;

namespace Turn.Relay.Requests;

/// <summary>
/// The checks a request passes before its nonce is looked at (RFC 8489 section 9.2.4, those that need no
/// key): a method the server answers, MESSAGE-INTEGRITY present (else the first 401), USERNAME or USERHASH,
/// REALM and NONCE present and within size, PASSWORD-ALGORITHM(S) matching the offer, USERNAME and REALM
/// valid UTF-8 without control characters. Works on the bytes: nothing is allocated for a refused request,
/// and no control character ever reaches a store (a NUL made PostgreSQL fail with 22021).
/// </summary>
internal sealed class RequestShapeCheck(bool acceptsUserHash)
{
    // RFC 8489 section 14: USERNAME < 513 bytes, REALM and NONCE < 763 bytes.
    private const int MaxUsernameBytes = 512;
    private const int MaxRealmBytes = 762;

    public ShapeVerdict Check(in StunMessageReader request)
    {
        if (request.Method is not (StunMethod.Allocate or StunMethod.Refresh or StunMethod.CreatePermission or StunMethod.ChannelBind))
            return ShapeVerdict.UnknownMethod;
        if (!request.HasMessageIntegrity && !request.HasMessageIntegritySha256) return ShapeVerdict.NoIntegrity;
        var hasUsername = request.TryGetValue(StunAttributeType.Username, out var username);
        // A USERHASH without a resolver is refused here: we then never announce username anonymity.
        var hasUserHash = !hasUsername && acceptsUserHash
            && request.TryGetValue(StunAttributeType.UserHash, out var userHash) && userHash.Length == UserHash.Length;
        if ((!hasUsername && !hasUserHash)
            || !request.TryGetValue(StunAttributeType.Realm, out var realm)
            || !request.TryGetValue(StunAttributeType.Nonce, out var nonce)
            || (hasUsername && (username.Length == 0 || username.Length > MaxUsernameBytes))
            || realm.Length == 0 || realm.Length > MaxRealmBytes || nonce.Length > MaxRealmBytes)
            return ShapeVerdict.MissingCredentials;
        if (!MatchesOffer(request)) return ShapeVerdict.AlgorithmMismatch;
        if ((hasUsername && !IsCleanText(username)) || !IsCleanText(realm)) return ShapeVerdict.BadCharacters;
        return ShapeVerdict.Ok;
    }

    /// <summary>Valid UTF-8 with no control character: C0 (including NUL), DEL, or C1 (U+0080-U+009F, C2 80-9F in UTF-8).</summary>
    public static bool IsCleanText(ReadOnlySpan<byte> text)
    {
        if (!Utf8.IsValid(text)) return false;
        for (var i = 0; i < text.Length; i++)
        {
            var b = text[i];
            if (b < 0x20 || b == 0x7F) return false;
            if (b == 0xC2 && i + 1 < text.Length && text[i + 1] is >= 0x80 and <= 0x9F) return false;
        }
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
