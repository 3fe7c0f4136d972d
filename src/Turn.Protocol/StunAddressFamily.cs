namespace Turn.Protocol;

/// <summary>
/// Address family as encoded in (XOR-)MAPPED-ADDRESS and REQUESTED-ADDRESS-FAMILY
/// (RFC 8489 section 14.1, RFC 8656 section 18.8).
/// </summary>
public enum StunAddressFamily : byte
{
    None = 0,
    IPv4 = 0x01,
    IPv6 = 0x02,
}
