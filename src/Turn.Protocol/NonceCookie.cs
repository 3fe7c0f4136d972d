using System.Buffers.Text;

namespace Turn.Protocol;

/// <summary>
/// The nonce cookie of RFC 8489 section 9.2.1: a NONCE that starts with "obMatJos2" followed by
/// the 24-bit <see cref="StunSecurityFeatures"/> in 4 base64 characters tells an RFC 8489 client
/// which security features the server offers. The rest of the nonce is the server's own.
/// </summary>
public static class NonceCookie
{
    public const string Prefix = "obMatJos2";

    /// <summary>Prefix and the 4 base64 characters.</summary>
    public const int Length = 13;

    private static ReadOnlySpan<byte> PrefixUtf8 => "obMatJos2"u8;

    /// <summary>Writes the 13 cookie bytes (ASCII) to the start of <paramref name="destination"/>; false when it is too small.</summary>
    public static bool TryWrite(StunSecurityFeatures features, Span<byte> destination)
    {
        if (destination.Length < Length) return false;
        PrefixUtf8.CopyTo(destination);
        int bits = (int)features & 0xFFFFFF;
        Span<byte> raw = [(byte)(bits >> 16), (byte)(bits >> 8), (byte)bits];
        Base64.EncodeToUtf8(raw, destination[PrefixUtf8.Length..], out _, out _);
        return true;
    }

    /// <summary>The 13-character cookie, e.g. "obMatJos2gAAA" for password algorithms.</summary>
    public static string Create(StunSecurityFeatures features)
    {
        Span<byte> cookie = stackalloc byte[Length];
        TryWrite(features, cookie);
        return System.Text.Encoding.ASCII.GetString(cookie);
    }

    /// <summary>Reads the feature set from a NONCE value; false when the nonce has no valid cookie.</summary>
    public static bool TryParse(ReadOnlySpan<byte> nonce, out StunSecurityFeatures features)
    {
        features = StunSecurityFeatures.None;
        if (nonce.Length < Length || !nonce.StartsWith(PrefixUtf8)) return false;
        Span<byte> raw = stackalloc byte[3];
        if (Base64.DecodeFromUtf8(nonce.Slice(PrefixUtf8.Length, 4), raw, out _, out int written) != System.Buffers.OperationStatus.Done
            || written != 3) return false;
        features = (StunSecurityFeatures)((raw[0] << 16) | (raw[1] << 8) | raw[2]);
        return true;
    }
}
