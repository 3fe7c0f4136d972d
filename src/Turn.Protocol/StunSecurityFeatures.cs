namespace Turn.Protocol;

/// <summary>
/// The 24-bit Security Feature Set a server advertises in its nonce cookie (RFC 8489 sections
/// 9.2.1 and 18.1). Bits are numbered from the most significant, as in the RFC's figures, so
/// bit 0 (password algorithms) is 0x800000. Unassigned bits are kept as they arrive.
/// </summary>
[Flags]
public enum StunSecurityFeatures
{
    None = 0,
    /// <summary>Bit 0: the server offers PASSWORD-ALGORITHMS (and so MESSAGE-INTEGRITY-SHA256 keys by SHA-256).</summary>
    PasswordAlgorithms = 0x800000,
    /// <summary>Bit 1: the server accepts USERHASH instead of USERNAME.</summary>
    UsernameAnonymity = 0x400000,
}
