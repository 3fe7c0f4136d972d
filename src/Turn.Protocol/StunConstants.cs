namespace Turn.Protocol;

/// <summary>Fixed numbers of the STUN header and its integrity attributes (RFC 8489).</summary>
public static class StunConstants
{
    /// <summary>Magic cookie, bytes 4-7 of every RFC 5389/8489 message (section 5).</summary>
    public const uint MagicCookie = 0x2112A442;

    /// <summary>Header: type (2), length (2), magic cookie (4), transaction id (12).</summary>
    public const int HeaderLength = 20;

    public const int TransactionIdLength = 12;

    /// <summary>Type-length-value header of every attribute (section 14).</summary>
    public const int AttributeHeaderLength = 4;

    /// <summary>FINGERPRINT is CRC-32 of the message XOR this value ("STUN", section 14.7).</summary>
    public const uint FingerprintXor = 0x5354554E;

    /// <summary>Length of the HMAC-SHA1 value of MESSAGE-INTEGRITY (section 14.5).</summary>
    public const int MessageIntegrityLength = 20;

    /// <summary>Full length of the HMAC-SHA256 value of MESSAGE-INTEGRITY-SHA256 (section 14.6).</summary>
    public const int MessageIntegritySha256Length = 32;

    /// <summary>MESSAGE-INTEGRITY-SHA256 may be truncated, but to no fewer than 16 bytes (section 14.6).</summary>
    public const int MessageIntegritySha256MinLength = 16;

    public const int FingerprintLength = 4;

    /// <summary>The largest message the 16-bit length field can describe (lengths are multiples of 4).</summary>
    public const int MaxMessageLength = HeaderLength + 0xFFFC;
}
