namespace Turn.Relay.Policy;

/// <summary>
/// IPv6 addresses that a NAT64 gateway translates to an embedded IPv4 address (RFC 6052), so a peer check must judge
/// that IPv4 address: 64:ff9b::/96, the well-known prefix (the IPv4 address is the last 32 bits), and
/// 64:ff9b:1::/48, the local-use block (RFC 8215), inside which an operator may use a /48, /56, /64 or /96
/// prefix, each embedding the address at a different place. The prefix length in use cannot be seen from the address,
/// so every plausible reading is produced and the peer is refused when any of them is refused. The /96 reading always
/// counts; a shorter prefix's reading counts when bits 64-71 are zero (RFC 6052 requires it of those forms) and it does
/// not fall in 0.0.0.0/8 (the zeros of a /96 address read at another offset, not an address anyone translates to).
/// </summary>
internal static class Nat64Address
{
    private static readonly UInt128 WellKnownPrefix = new(0x0064_ff9b_0000_0000, 0);
    private static readonly UInt128 LocalUsePrefix = new(0x0064_ff9b_0001_0000, 0);
    private static readonly UInt128 Slash96Mask = ~(UInt128)uint.MaxValue;
    private static readonly UInt128 Slash48Mask = ~((UInt128.One << 80) - 1);

    /// <summary>True for 64:ff9b::/96: the peer is the IPv4 address in the last 32 bits.</summary>
    public static bool IsWellKnown(IpAddressBits address) => !address.IsIPv4 && (address.Value & Slash96Mask) == WellKnownPrefix;

    /// <summary>True for 64:ff9b:1::/48 (RFC 8215).</summary>
    public static bool IsLocalUse(IpAddressBits address) => !address.IsIPv4 && (address.Value & Slash48Mask) == LocalUsePrefix;

    /// <summary>How many readings <see cref="LocalUseCandidates"/> may write.</summary>
    public const int CandidateCount = 4;

    /// <summary>
    /// The IPv4 addresses a local-use NAT64 address may stand for (RFC 6052 section 2.2, prefix lengths 96, 64, 56,
    /// 48; bits 64-71 are skipped), the /96 reading first; returns how many were written.
    /// </summary>
    public static int LocalUseCandidates(IpAddressBits address, Span<uint> candidates)
    {
        Span<byte> b = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(b, address.Value);
        candidates[0] = Join(b[12], b[13], b[14], b[15]);
        if (b[8] != 0) return 1;
        var count = 1;
        count = Add(candidates, count, Join(b[9], b[10], b[11], b[12])); // /64
        count = Add(candidates, count, Join(b[7], b[9], b[10], b[11]));  // /56
        return Add(candidates, count, Join(b[6], b[7], b[9], b[10]));    // /48
    }

    private static int Add(Span<uint> candidates, int count, uint candidate)
    {
        if (candidate >> 24 == 0) return count;
        candidates[count] = candidate;
        return count + 1;
    }

    private static uint Join(byte a, byte b, byte c, byte d) => (uint)((a << 24) | (b << 16) | (c << 8) | d);
}
