using Turn.Protocol;
using Turn.Relay.Seams;
using Turn.Relay.Transports;

namespace Turn.Relay.Requests;

/// <summary>
/// One request being answered, across the credential lookup's await (the message reader is a
/// ref struct and cannot cross it, so the request bytes are kept and parsed again).
/// </summary>
internal sealed class RequestContext(ClientConnection connection, byte[] buffer, int length, ResponseCacheKey cacheKey, bool cached,
    SourceSlots admission)
{
    public ClientConnection Connection { get; } = connection;

    public byte[] Buffer { get; } = buffer;

    public ReadOnlySpan<byte> Message => Buffer.AsSpan(0, length);

    public ResponseCacheKey CacheKey { get; } = cacheKey;

    /// <summary>True when an in-flight entry was put in the response cache for this request.</summary>
    public bool Cached { get; } = cached;

    /// <summary>The request's per-source admission slots, given back when it is answered.</summary>
    public SourceSlots Admission { get; } = admission;

    public StunMethod Method { get; set; }

    public TransactionId TransactionId => CacheKey.TransactionId;

    /// <summary>USERNAME as sent (or as USERHASH resolved it): for TURN REST, the whole "expiry:user[@realm]".</summary>
    public string Username { get; set; } = "";

    /// <summary>
    /// The realm this client was offered (the request's REALM, which its nonce's MAC bound to that offer): the realm
    /// in the long-term key MD5(username:realm:password), the USERHASH, and every challenge sent to this request.
    /// </summary>
    public string OfferedRealm { get; set; } = "";

    /// <summary>
    /// The realm the credential belongs to: the offered realm for stored users, the realm named after the last '@'
    /// of a TURN REST user name (when it exists). Credential lookup, quotas, policies, allocation ownership, events
    /// and sessions use it. Equals <see cref="OfferedRealm"/> until the credential lookup.
    /// </summary>
    public string TenantRealm { get; set; } = "";

    /// <summary>The user name quotas count under, in <see cref="TenantRealm"/>: the stored user name, or a TURN REST name's user part.</summary>
    public string QuotaUser { get; set; } = "";

    /// <summary>Same as <see cref="TenantRealm"/>: the name the method handlers (Methods/Allocate*) read.</summary>
    public string Realm => TenantRealm;

    /// <summary>USERHASH sent instead of USERNAME (RFC 8489 section 14.4): resolved before the key lookup.</summary>
    public byte[]? UserHash { get; set; }

    /// <summary>The verified long-term key; null until authenticated.</summary>
    public byte[]? Key { get; set; }

    /// <summary>The TURN REST secret whose key verified the request; null for a stored long-term key.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>The request carried MESSAGE-INTEGRITY-SHA256: answer with it too (RFC 8489 section 9.2.4).</summary>
    public bool UseSha256 { get; set; }

    /// <summary>The request carried FINGERPRINT: answer with one too.</summary>
    public bool WantsFingerprint { get; set; }

    public RealmPolicy RealmPolicy { get; set; } = RealmPolicy.Empty;

    public RealmPolicy GlobalPolicy { get; set; } = RealmPolicy.Empty;

    /// <summary>Allocate: units the other nodes of a cluster hold for this (realm, quota user), added to ours for the user quota.</summary>
    public int OtherNodesUserCount { get; set; }
}
