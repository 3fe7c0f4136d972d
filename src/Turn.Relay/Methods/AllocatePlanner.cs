using System.Diagnostics.CodeAnalysis;
using Turn.Protocol;
using Turn.Relay.Allocations;
using Turn.Relay.Auth;
using Turn.Relay.Requests;

namespace Turn.Relay.Methods;

/// <summary>
/// Allocate's second step: the plan for the new allocation, before the table is touched. The
/// relay address for the family asked for, the lifetime (RFC 8656 section 7.2), and the quotas and
/// bandwidth limit: the realm's policy, else the server-wide ("" realm) policy, else Relay options, never above the
/// Relay option when that is non-zero (the server's limits are a ceiling no realm setting can lift). The user quota is
/// kept per (realm, user part of the name): see <see cref="QuotaUser"/>.
/// </summary>
internal sealed class AllocatePlanner(RelayAddressPlanner addresses, RelayOptions options)
{
    /// <summary>False when the server has no relay address of the family asked for.</summary>
    public bool TryPlan(RequestContext context, in StunMessageReader request, in AllocateAttributes attributes,
        [NotNullWhen(true)] out AllocationPlan? plan)
    {
        plan = null;
        TransportAddress bind = default, advertised = default;
        // A RESERVATION-TOKEN brings its socket, bound already.
        if (attributes.ReservationToken is null && !addresses.TryPlan(attributes.Family, context.Connection, out bind, out advertised)) return false;

        var realm = context.RealmPolicy;
        var global = context.GlobalPolicy;
        plan = new AllocationPlan(
            context.Connection.Key,
            context.Realm,
            context.Username,
            UserQuota: EffectiveLimit(realm.UserQuota ?? global.UserQuota, options.UserQuota),
            TotalQuota: EffectiveLimit(realm.TotalQuota ?? global.TotalQuota, options.TotalQuota),
            attributes.ReservationToken,
            bind,
            advertised,
            attributes.EvenPort,
            attributes.ReserveNext,
            GrantedLifetime.For(request),
            MaxBitsPerSecond: EffectiveLimit(realm.MaxBitsPerSecond ?? global.MaxBitsPerSecond, options.MaxBitsPerSecond),
            // Which secret signed a TURN REST credential, so deleting it can end this allocation.
            SigningSecretSha256: context.SigningSecret is { } secret ? SecretFingerprint.Sha256Hex(secret) : null,
            QuotaUser: QuotaUser(context),
            OtherNodesUserCount: context.OtherNodesUserCount);
        return true;
    }

    /// <summary>
    /// A realm's (or the global) setting, capped at the server's: 0 means unlimited on both sides, so a realm's 0 or a
    /// value above a non-zero server limit gets the server limit; no setting gets the server limit.
    /// </summary>
    internal static long EffectiveLimit(long? configured, long server) =>
        configured is not { } value ? server
        : server > 0 && (value == 0 || value > server) ? server
        : value;

    internal static int EffectiveLimit(int? configured, int server) => (int)EffectiveLimit((long?)configured, (long)server);

    /// <summary>
    /// Whose user quota an allocation counts against in its realm. A TURN REST name (<c>expiry:user</c> or
    /// <c>expiry:user@realm</c>) counts against its user part, so minting a fresh credential does not bring a fresh quota;
    /// a long-term user against the whole name. The credential resolver sets it on the context (RequestContext.QuotaUser);
    /// a context built without it (tests) derives it from the name.
    /// </summary>
    internal static string QuotaUser(RequestContext context) => context.QuotaUser.Length > 0
        ? context.QuotaUser
        : QuotaUser(context.Username, context.Realm, signedBySecret: context.SigningSecret is not null);

    internal static string QuotaUser(string username, string realm, bool signedBySecret)
    {
        if (!signedBySecret || !TurnRestCredential.TryParseUsername(username, out _, out var user)) return username;
        // The realm a name carries after its last '@' is the allocation's realm; the part before it is the user.
        var at = user.LastIndexOf('@');
        return at >= 0 && user.AsSpan(at + 1).Equals(realm, StringComparison.Ordinal) ? user[..at] : user;
    }
}
