using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Turn.Protocol;

namespace Turn.Relay.Auth;

/// <summary>
/// Stateless nonces (RFC 8489 section 9.2): the nonce cookie ("obMatJos2" + security feature bits),
/// the expiry (8 hex digits, Unix seconds) and a MAC (96 bits of HMAC-SHA256 with a per-process
/// secret, base64url) over the expiry, the client's address and port, and the realm offered with
/// the nonce. Nothing is stored, so a flood of 401s costs no memory. A nonce is good only for its
/// client, for the realm it was offered with (a request whose REALM differs fails the MAC), and
/// until it expires (438). 37 characters in all.
/// </summary>
internal sealed class NonceService
{
    private const int PrefixLength = NonceCookie.Length;
    private const int ExpiryHexLength = 8;
    private const int MacBytes = 12;
    private const int MacTextLength = MacBytes * 4 / 3;
    private const int NonceLength = PrefixLength + ExpiryHexLength + MacTextLength;

    // REALM < 763 bytes (RFC 8489 section 14.9); a longer realm is hashed from the heap.
    private const int StackRealmBytes = 768;

    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(32);

    // Each thread's HMAC context keyed with this service's secret: a one-shot HMAC sets a context up and frees it on every
    // call (in OpenSSL, twice the cost of hashing a nonce's input); a kept one is only reset. Per thread, so no lock.
    [ThreadStatic] private static (NonceService Owner, IncrementalHash Mac)? t_mac;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly string _prefix;

    public NonceService(TimeProvider time, TimeSpan lifetime, StunSecurityFeatures features)
    {
        _time = time;
        _lifetime = lifetime;
        _prefix = NonceCookie.Create(features);
    }

    /// <summary>The length of every nonce this service issues.</summary>
    public static int Length => NonceLength;

    /// <summary>A fresh nonce for <paramref name="client"/>, bound to <paramref name="realm"/> (the REALM sent with it).</summary>
    public string Create(in TransportAddress client, string realm)
    {
        var expiry = (uint)_time.GetUtcNow().Add(_lifetime).ToUnixTimeSeconds();
        var realmBytes = Encoding.UTF8.GetMaxByteCount(realm.Length) <= StackRealmBytes
            ? stackalloc byte[StackRealmBytes] : new byte[Encoding.UTF8.GetMaxByteCount(realm.Length)];
        var realmLength = Encoding.UTF8.GetBytes(realm, realmBytes);
        Span<byte> mac = stackalloc byte[32];
        ComputeMac(expiry, client, realmBytes[..realmLength], mac);
        Span<char> text = stackalloc char[NonceLength];
        _prefix.CopyTo(text);
        expiry.TryFormat(text[PrefixLength..], out _, "x8", CultureInfo.InvariantCulture);
        Base64Url.EncodeToChars(mac[..MacBytes], text[(PrefixLength + ExpiryHexLength)..]);
        return new string(text);
    }

    /// <summary>
    /// Whether <paramref name="nonce"/> is ours, for this client and for <paramref name="realm"/> (the request's REALM,
    /// UTF-8), and, if so, whether it is still fresh. Constant time in the MAC compare; no allocation.
    /// </summary>
    public NonceCheck Check(ReadOnlySpan<byte> nonce, in TransportAddress client, ReadOnlySpan<byte> realm)
    {
        if (nonce.Length != NonceLength) return NonceCheck.Invalid;
        for (var i = 0; i < PrefixLength; i++)
        {
            if (nonce[i] != (byte)_prefix[i]) return NonceCheck.Invalid;
        }
        if (!Utf8Parser.TryParse(nonce.Slice(PrefixLength, ExpiryHexLength), out uint expiry, out var consumed, 'x')
            || consumed != ExpiryHexLength) return NonceCheck.Invalid;
        Span<byte> mac = stackalloc byte[32];
        ComputeMac(expiry, client, realm, mac);
        Span<byte> expected = stackalloc byte[MacTextLength];
        Base64Url.EncodeToUtf8(mac[..MacBytes], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, nonce[(PrefixLength + ExpiryHexLength)..])) return NonceCheck.Invalid;
        return _time.GetUtcNow().ToUnixTimeSeconds() >= expiry ? NonceCheck.Stale : NonceCheck.Valid;
    }

    private void ComputeMac(uint expiry, in TransportAddress client, ReadOnlySpan<byte> realm, Span<byte> mac)
    {
        const int Fixed = 4 + 1 + 16 + 2;
        var input = Fixed + realm.Length <= Fixed + StackRealmBytes ? stackalloc byte[Fixed + StackRealmBytes] : new byte[Fixed + realm.Length];
        BinaryPrimitives.WriteUInt32BigEndian(input, expiry);
        input[4] = (byte)client.Family;
        var length = client.WriteAddressBytes(input[5..]);
        BinaryPrimitives.WriteUInt16BigEndian(input[(5 + length)..], client.Port);
        var used = 5 + length + 2;
        realm.CopyTo(input[used..]);
        var hmac = ThreadMac();
        hmac.AppendData(input[..(used + realm.Length)]);
        hmac.GetHashAndReset(mac);
    }

    private IncrementalHash ThreadMac()
    {
        if (t_mac is { } kept && ReferenceEquals(kept.Owner, this)) return kept.Mac;
        t_mac?.Mac.Dispose();
        var created = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _secret);
        t_mac = (this, created);
        return created;
    }
}
