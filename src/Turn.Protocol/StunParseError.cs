namespace Turn.Protocol;

/// <summary>Why <see cref="StunMessageReader.TryParse"/> refused its input.</summary>
public enum StunParseError
{
    None = 0,
    /// <summary>Fewer than 20 bytes.</summary>
    TooShort,
    /// <summary>The first two bits are not 00.</summary>
    NotStun,
    /// <summary>Bytes 4-7 are not 0x2112A442 (an RFC 3489 message, or not STUN at all).</summary>
    BadMagicCookie,
    /// <summary>The header's length is not a multiple of 4.</summary>
    LengthNotMultipleOfFour,
    /// <summary>The header's length does not match the bytes given.</summary>
    LengthMismatch,
    /// <summary>An attribute's header or padded value runs past the end of the message.</summary>
    AttributeTruncated,
    /// <summary>MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 or FINGERPRINT has an invalid length.</summary>
    InvalidIntegrityLength,
    /// <summary>An attribute follows FINGERPRINT, which must be last.</summary>
    FingerprintNotLast,
}
