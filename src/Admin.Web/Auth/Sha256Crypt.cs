using System.Security.Cryptography;
using System.Text;

namespace Admin.Web.Auth;

/// <summary>
/// Verifies "$5$" SHA-256-crypt hashes (Ulrich Drepper, "Unix crypt using SHA-256 and SHA-512"),
/// which coturn's turnadmin writes into admin_user.password. Turnstone only reads them: a
/// successful login rehashes the password with PBKDF2.
/// </summary>
public static class Sha256Crypt
{
    public const string Prefix = "$5$";
    public const int DefaultRounds = 5000;
    public const int MinRounds = 1000;
    public const int MaxRounds = 999_999_999;
    public const int MaxSaltLength = 16;

    private const string RoundsPrefix = "rounds=";
    private const string Alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    // Rounds above this are refused when verifying: a stored hash must not be able to pin a CPU
    // for minutes on every login attempt. coturn always writes the default 5000.
    private const int MaxVerifyRounds = 10_000_000;

    /// <summary>True when <paramref name="hash"/> looks like a SHA-256-crypt hash.</summary>
    public static bool IsSha256Crypt(string? hash) => hash is not null && hash.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>
    /// Computes the hash of <paramref name="password"/> with the salt (and rounds) taken from
    /// <paramref name="setting"/>, e.g. "$5$saltstring" or "$5$rounds=10000$salt$...".
    /// </summary>
    public static string Hash(string password, string setting)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryParseSetting(setting, out var salt, out var rounds, out var roundsGiven))
            throw new FormatException("Not a SHA-256-crypt setting (expected \"$5$[rounds=N$]salt\").");
        return Compute(Encoding.UTF8.GetBytes(password), salt, rounds, roundsGiven);
    }

    /// <summary>Constant-time check of <paramref name="password"/> against a stored "$5$" hash.</summary>
    public static bool Verify(string password, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryParseSetting(storedHash, out var salt, out var rounds, out var roundsGiven) || rounds > MaxVerifyRounds)
            return false;
        var computed = Compute(Encoding.UTF8.GetBytes(password), salt, rounds, roundsGiven);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(storedHash));
    }

    private static bool TryParseSetting(string? setting, out byte[] salt, out int rounds, out bool roundsGiven)
    {
        salt = [];
        rounds = DefaultRounds;
        roundsGiven = false;
        if (!IsSha256Crypt(setting)) return false;
        var rest = setting!.AsSpan(Prefix.Length);
        if (rest.StartsWith(RoundsPrefix, StringComparison.Ordinal))
        {
            var afterPrefix = rest[RoundsPrefix.Length..];
            var end = afterPrefix.IndexOf('$');
            if (end <= 0 || !ulong.TryParse(afterPrefix[..end], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var requested))
                return false;
            // The spec clamps out-of-range round counts rather than rejecting them.
            rounds = (int)Math.Clamp(requested, MinRounds, MaxRounds);
            roundsGiven = true;
            rest = afterPrefix[(end + 1)..];
        }
        var saltEnd = rest.IndexOf('$');
        var saltText = saltEnd < 0 ? rest : rest[..saltEnd];
        if (saltText.Length > MaxSaltLength) saltText = saltText[..MaxSaltLength];
        salt = Encoding.UTF8.GetBytes(saltText.ToString());
        return true;
    }

    private static string Compute(byte[] key, byte[] salt, int rounds, bool roundsGiven)
    {
        const int digestLength = 32;

        // Digest B = SHA256(key salt key).
        Span<byte> b = stackalloc byte[digestLength];
        using (var hb = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            hb.AppendData(key);
            hb.AppendData(salt);
            hb.AppendData(key);
            hb.GetHashAndReset(b);
        }

        // Digest A = SHA256(key salt, B repeated to the key length, then B or key per bit of the key length).
        Span<byte> a = stackalloc byte[digestLength];
        using (var ha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            ha.AppendData(key);
            ha.AppendData(salt);
            int remaining;
            for (remaining = key.Length; remaining > digestLength; remaining -= digestLength) ha.AppendData(b);
            ha.AppendData(b[..remaining]);
            for (var bits = key.Length; bits > 0; bits >>= 1)
            {
                if ((bits & 1) != 0) ha.AppendData(b);
                else ha.AppendData(key);
            }
            ha.GetHashAndReset(a);
        }

        // P sequence: SHA256(key repeated key-length times), stretched to the key length.
        var p = new byte[key.Length];
        using (var hp = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            for (var i = 0; i < key.Length; i++) hp.AppendData(key);
            Span<byte> dp = stackalloc byte[digestLength];
            hp.GetHashAndReset(dp);
            for (var i = 0; i < p.Length; i++) p[i] = dp[i % digestLength];
        }

        // S sequence: SHA256(salt repeated 16 + A[0] times), cut to the salt length.
        var s = new byte[salt.Length];
        using (var hs = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            for (var i = 0; i < 16 + a[0]; i++) hs.AppendData(salt);
            Span<byte> ds = stackalloc byte[digestLength];
            hs.GetHashAndReset(ds);
            for (var i = 0; i < s.Length; i++) s[i] = ds[i % digestLength];
        }

        // The rounds: each digest mixes the previous one with P and S in a fixed pattern.
        Span<byte> c = stackalloc byte[digestLength];
        a.CopyTo(c);
        using (var hc = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            for (var round = 0; round < rounds; round++)
            {
                if ((round & 1) != 0) hc.AppendData(p);
                else hc.AppendData(c);
                if (round % 3 != 0) hc.AppendData(s);
                if (round % 7 != 0) hc.AppendData(p);
                if ((round & 1) != 0) hc.AppendData(c);
                else hc.AppendData(p);
                hc.GetHashAndReset(c);
            }
        }

        var result = new StringBuilder(Prefix.Length + 24 + salt.Length + 44);
        result.Append(Prefix);
        if (roundsGiven) result.Append(RoundsPrefix).Append(rounds.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('$');
        result.Append(Encoding.UTF8.GetString(salt)).Append('$');
        Encode(result, c[0], c[10], c[20], 4);
        Encode(result, c[21], c[1], c[11], 4);
        Encode(result, c[12], c[22], c[2], 4);
        Encode(result, c[3], c[13], c[23], 4);
        Encode(result, c[24], c[4], c[14], 4);
        Encode(result, c[15], c[25], c[5], 4);
        Encode(result, c[6], c[16], c[26], 4);
        Encode(result, c[27], c[7], c[17], 4);
        Encode(result, c[18], c[28], c[8], 4);
        Encode(result, c[9], c[19], c[29], 4);
        Encode(result, 0, c[31], c[30], 3);
        return result.ToString();
    }

    // crypt's own base64: little-endian 6-bit groups over a 24-bit word, its own alphabet.
    private static void Encode(StringBuilder output, byte b2, byte b1, byte b0, int characters)
    {
        var word = (b2 << 16) | (b1 << 8) | b0;
        for (var i = 0; i < characters; i++)
        {
            output.Append(Alphabet[word & 0x3f]);
            word >>= 6;
        }
    }
}
