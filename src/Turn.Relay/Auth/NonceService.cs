using System.Buffers.Binary;
using System.Security.Cryptography;
using Turn.Protocol;

namespace Turn.Relay.Auth;

/// <summary>
/// Stateless nonces (RFC 8489 section 9.2): "obMatJos2" + security feature bits + expiry + a MAC
/// over the expiry and the client's address with a per-process secret. Nothing is stored, so a
/// flood of 401s costs no memory; a nonce is good only for its client and until it expires (438).
/// </summary>
internal sealed class NonceService
{
    /// <summary>RFC 8489 section 9.2: the nonce cookie that announces security features.</summary>
    public const string Cookie = "obMatJos2";

    // Security feature set (24 bits, base64): only "Password algorithms" (bit 0) = 0x800000.
    private const string Features = "gAAA";
    private const int PrefixLength = 13; // Cookie + Features
    private const int ExpiryHexLength = 16;
    private const int MacHexLength = 24;
    private const int NonceLength = PrefixLength + ExpiryHexLength + MacHexLength;

    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(32);
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;

    public NonceService(TimeProvider time, TimeSpan lifetime)
    {
        _time = time;
        _lifetime = lifetime;
    }

    public string Create(in TransportAddress client)
    {
        var expiry = _time.GetUtcNow().Add(_lifetime).ToUnixTimeSeconds();
        Span<byte> mac = stackalloc byte[32];
        ComputeMac(expiry, client, mac);
        return string.Concat(Cookie, Features, expiry.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToHexStringLower(mac[..(MacHexLength / 2)]));
    }

    /// <summary>Valid (ours, for this client) and, if so, whether it is still fresh.</summary>
    public NonceCheck Check(ReadOnlySpan<byte> nonce, in TransportAddress client)
    {
        if (nonce.Length != NonceLength) return NonceCheck.Invalid;
        for (var i = 0; i < PrefixLength; i++)
        {
            if (nonce[i] != (byte)(Cookie + Features)[i]) return NonceCheck.Invalid;
        }
        Span<char> expiryChars = stackalloc char[ExpiryHexLength];
        for (var i = 0; i < ExpiryHexLength; i++) expiryChars[i] = (char)nonce[PrefixLength + i];
        if (!long.TryParse(expiryChars, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var expiry))
            return NonceCheck.Invalid;
        Span<byte> mac = stackalloc byte[32];
        ComputeMac(expiry, client, mac);
        Span<byte> expected = stackalloc byte[MacHexLength];
        for (var i = 0; i < MacHexLength / 2; i++)
        {
            expected[2 * i] = (byte)"0123456789abcdef"[mac[i] >> 4];
            expected[2 * i + 1] = (byte)"0123456789abcdef"[mac[i] & 0xF];
        }
        if (!CryptographicOperations.FixedTimeEquals(expected, nonce[(PrefixLength + ExpiryHexLength)..])) return NonceCheck.Invalid;
        return _time.GetUtcNow().ToUnixTimeSeconds() >= expiry ? NonceCheck.Stale : NonceCheck.Valid;
    }

    private void ComputeMac(long expiry, in TransportAddress client, Span<byte> mac)
    {
        Span<byte> input = stackalloc byte[8 + 16 + 2];
        BinaryPrimitives.WriteInt64BigEndian(input, expiry);
        var length = client.WriteAddressBytes(input[8..]);
        BinaryPrimitives.WriteUInt16BigEndian(input[(8 + length)..], client.Port);
        HMACSHA256.HashData(_secret, input[..(8 + length + 2)], mac);
    }
}
