using Turn.Protocol;
using Turn.Relay.Seams;
using Turn.Relay.Transports;

namespace Turn.Relay.Requests;

/// <summary>
/// One request being answered, across the credential lookup's await (the message reader is a
/// ref struct and cannot cross it, so the request bytes are kept and parsed again).
/// </summary>
internal sealed class RequestContext(ClientConnection connection, byte[] buffer, int length, ResponseCacheKey cacheKey, bool cached)
{
    public ClientConnection Connection { get; } = connection;

    public byte[] Buffer { get; } = buffer;

    public ReadOnlySpan<byte> Message => Buffer.AsSpan(0, length);

    public ResponseCacheKey CacheKey { get; } = cacheKey;

    /// <summary>True when an in-flight entry was put in the response cache for this request.</summary>
    public bool Cached { get; } = cached;

    public StunMethod Method { get; set; }

    public TransactionId TransactionId => CacheKey.TransactionId;

    public string Username { get; set; } = "";

    public string Realm { get; set; } = "";

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
}
