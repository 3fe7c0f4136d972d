using System.Security.Cryptography;
using System.Text;

namespace Turn.Protocol;

/// <summary>
/// The long-term credential key of RFC 8489 section 9.2.2: MD5(username ":" realm ":" password).
/// coturn stores it as lowercase hex in turnusers_lt.hmackey; so do we.
/// </summary>
public static class LongTermKey
{
    public const int Length = 16;

    // RFC 8489 asks for OpaqueString (RFC 8265) on realm and password; coturn hashes the raw UTF-8
    // bytes. We hash raw UTF-8 too, so keys stay interchangeable with coturn's tables and tools.
    public static byte[] Compute(string username, string realm, string password)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentNullException.ThrowIfNull(password);
        return MD5.HashData(Encoding.UTF8.GetBytes($"{username}:{realm}:{password}"));
    }

    /// <summary>
    /// The key for PASSWORD-ALGORITHM SHA-256 (RFC 8489 section 18.5.1.2):
    /// SHA-256(username ":" realm ":" password), 32 bytes.
    /// </summary>
    public static byte[] ComputeSha256(string username, string realm, string password)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentNullException.ThrowIfNull(password);
        return SHA256.HashData(Encoding.UTF8.GetBytes($"{username}:{realm}:{password}"));
    }

    /// <summary>The key for the given PASSWORD-ALGORITHM (MD5: 16 bytes, SHA-256: 32 bytes).</summary>
    public static byte[] Compute(PasswordAlgorithm algorithm, string username, string realm, string password) => algorithm switch
    {
        PasswordAlgorithm.Md5 => Compute(username, realm, password),
        PasswordAlgorithm.Sha256 => ComputeSha256(username, realm, password),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown password algorithm."),
    };

    public static string ComputeHex(string username, string realm, string password) =>
        Convert.ToHexStringLower(Compute(username, realm, password));

    /// <summary>Parses coturn's hmackey column (32 hex digits, any case).</summary>
    public static bool TryParseHex(string? hex, out byte[] key)
    {
        key = [];
        if (hex is null || hex.Length != Length * 2) return false;
        try
        {
            key = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
