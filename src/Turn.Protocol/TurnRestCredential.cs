using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Turn.Protocol;

/// <summary>
/// TURN REST API ephemeral credentials (draft-uberti-behave-turn-rest, as coturn implements
/// them with --use-auth-secret): username "expiry:user" where expiry is a Unix time in seconds,
/// password base64(HMAC-SHA1(shared secret, username)). The server then runs the ordinary
/// long-term mechanism with that password, so its key is MD5(username ":" realm ":" password).
/// </summary>
public static class TurnRestCredential
{
    public const char Separator = ':';

    /// <summary>"expiry:user", or just "expiry" when <paramref name="user"/> is empty.</summary>
    public static string CreateUsername(DateTimeOffset expiresAt, string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        string expiry = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return user.Length == 0 ? expiry : expiry + Separator + user;
    }

    /// <summary>base64(HMAC-SHA1(UTF-8 secret, UTF-8 username)).</summary>
    public static string ComputePassword(string secret, string username)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(username);
        Span<byte> hash = stackalloc byte[HMACSHA1.HashSizeInBytes];
        HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(username), hash);
        return Convert.ToBase64String(hash);
    }

    /// <summary>The long-term key (16 bytes) a server checks MESSAGE-INTEGRITY with.</summary>
    public static byte[] ComputeLongTermKey(string secret, string username, string realm) =>
        LongTermKey.Compute(username, realm, ComputePassword(secret, username));

    /// <summary>
    /// Splits "expiry:user" (or a bare "expiry"). False when the expiry is not a non-negative
    /// decimal Unix time.
    /// </summary>
    public static bool TryParseUsername(string? username, out DateTimeOffset expiresAt, out string user)
    {
        expiresAt = default;
        user = "";
        if (username is null) return false;
        int separator = username.IndexOf(Separator);
        ReadOnlySpan<char> expiry = separator < 0 ? username : username.AsSpan(0, separator);
        if (!TryParseExpiry(expiry, out expiresAt)) return false;
        user = separator < 0 ? "" : username[(separator + 1)..];
        return true;
    }

    /// <summary>True when the username carries a valid expiry that is still in the future at <paramref name="now"/>.</summary>
    public static bool IsValidAt(string? username, DateTimeOffset now) =>
        TryParseUsername(username, out DateTimeOffset expiresAt, out _) && expiresAt > now;

    private static bool TryParseExpiry(ReadOnlySpan<char> text, out DateTimeOffset expiresAt)
    {
        expiresAt = default;
        if (text.Length == 0 || text.Length > 12) return false;
        foreach (char c in text)
            if (c is < '0' or > '9') return false;
        long seconds = long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        if (seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()) return false;
        expiresAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }
}
