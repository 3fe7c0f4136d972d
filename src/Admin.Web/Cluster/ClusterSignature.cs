using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Admin.Web.Cluster;

/// <summary>
/// How node-to-node requests are authenticated: HMAC-SHA256 with Cluster:Key over the method, the path and query, the
/// name of the node the request is for, a Unix timestamp, a random nonce (so two identical commands in one second differ,
/// and the receiver can refuse a replayed one) and the SHA-256 of the body. The receiver recomputes it with
/// its own name and compares in constant time; a timestamp outside <see cref="Window"/> is refused, so a captured
/// request is useless after it, and binding the target node stops one node's request being replayed at another.
/// </summary>
public static class ClusterSignature
{
    public const string TimestampHeader = "X-Turnstone-Timestamp";
    public const string SignatureHeader = "X-Turnstone-Signature";
    public const string NonceHeader = "X-Turnstone-Nonce";

    /// <summary>How far a request's timestamp may be from the receiver's clock, either way (nodes run NTP).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    /// <summary>A fresh nonce for one request (128 random bits, hex).</summary>
    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The signature (lowercase hex) of one request.</summary>
    public static string Compute(string key, string method, string pathAndQuery, string targetNode, long unixSeconds, string nonce, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        Span<byte> bodyHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, bodyHash);
        var text = string.Join('\n', method.ToUpperInvariant(), pathAndQuery, targetNode, unixSeconds.ToString(CultureInfo.InvariantCulture), nonce, Convert.ToHexStringLower(bodyHash));
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(text), mac);
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>
    /// True when <paramref name="signature"/> is the signature of this request for <paramref name="selfNode"/> and
    /// <paramref name="timestamp"/> is within <see cref="Window"/> of <paramref name="now"/>. Says nothing about why not:
    /// the caller answers 401 without detail.
    /// </summary>
    public static bool Verify(string key, string method, string pathAndQuery, string selfNode, string? timestamp, string? nonce, string? signature,
        ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (nonce is not { Length: > 0 and <= 64 }) return false;
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature) || signature.Length != HMACSHA256.HashSizeInBytes * 2) return false;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        var age = now.ToUnixTimeSeconds() - seconds;
        if (Math.Abs(age) > (long)Window.TotalSeconds) return false;
        var expected = Compute(key, method, pathAndQuery, selfNode, seconds, nonce, body);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature.ToLowerInvariant()));
    }
}
