using System.Buffers.Binary;

namespace Turn.Protocol;

/// <summary>
/// The address attribute value (RFC 8489 sections 14.1 and 14.2): reserved byte, family,
/// port, address; optionally XORed with the magic cookie and transaction id.
/// </summary>
internal static class StunAddressCodec
{
    public const int IPv4ValueLength = 8;
    public const int IPv6ValueLength = 20;

    public static bool TryDecode(ReadOnlySpan<byte> value, bool xor, ReadOnlySpan<byte> transactionId, out TransportAddress address)
    {
        address = default;
        if (value.Length < 4) return false;
        ushort port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]);
        if (xor) port ^= (ushort)(StunConstants.MagicCookie >> 16);
        switch ((StunAddressFamily)value[1])
        {
            case StunAddressFamily.IPv4 when value.Length == IPv4ValueLength:
                uint ipv4 = BinaryPrimitives.ReadUInt32BigEndian(value[4..]);
                if (xor) ipv4 ^= StunConstants.MagicCookie;
                address = TransportAddress.FromIPv4(ipv4, port);
                return true;
            case StunAddressFamily.IPv6 when value.Length == IPv6ValueLength:
                if (xor && transactionId.Length != StunConstants.TransactionIdLength) return false;
                ulong high = BinaryPrimitives.ReadUInt64BigEndian(value[4..]);
                ulong low = BinaryPrimitives.ReadUInt64BigEndian(value[12..]);
                if (xor)
                {
                    high ^= XorHigh(transactionId);
                    low ^= BinaryPrimitives.ReadUInt64BigEndian(transactionId[4..]);
                }
                address = TransportAddress.FromIPv6(high, low, port);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Writes the value (8 or 20 bytes) and returns its length; 0 for the default address.</summary>
    public static int Encode(Span<byte> destination, in TransportAddress address, bool xor, ReadOnlySpan<byte> transactionId)
    {
        ushort port = address.Port;
        if (xor) port ^= (ushort)(StunConstants.MagicCookie >> 16);
        switch (address.Family)
        {
            case StunAddressFamily.IPv4:
                destination[0] = 0;
                destination[1] = (byte)StunAddressFamily.IPv4;
                BinaryPrimitives.WriteUInt16BigEndian(destination[2..], port);
                uint ipv4 = (uint)address.AddressLow;
                if (xor) ipv4 ^= StunConstants.MagicCookie;
                BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ipv4);
                return IPv4ValueLength;
            case StunAddressFamily.IPv6:
                destination[0] = 0;
                destination[1] = (byte)StunAddressFamily.IPv6;
                BinaryPrimitives.WriteUInt16BigEndian(destination[2..], port);
                ulong high = address.AddressHigh, low = address.AddressLow;
                if (xor)
                {
                    high ^= XorHigh(transactionId);
                    low ^= BinaryPrimitives.ReadUInt64BigEndian(transactionId[4..]);
                }
                BinaryPrimitives.WriteUInt64BigEndian(destination[4..], high);
                BinaryPrimitives.WriteUInt64BigEndian(destination[12..], low);
                return IPv6ValueLength;
            default:
                return 0;
        }
    }

    public static int EncodedLength(in TransportAddress address) => address.Family switch
    {
        StunAddressFamily.IPv4 => IPv4ValueLength,
        StunAddressFamily.IPv6 => IPv6ValueLength,
        _ => 0,
    };

    // The 128-bit mask is the magic cookie followed by the 96-bit transaction id.
    // The XOR mask of an IPv6 address is the magic cookie and the transaction id (RFC 8489 section 14.2): its first
    // half is the cookie and the id's first 4 bytes, its second half the id's last 8 (read where they are used).
    private static ulong XorHigh(ReadOnlySpan<byte> transactionId) =>
        (ulong)StunConstants.MagicCookie << 32 | BinaryPrimitives.ReadUInt32BigEndian(transactionId);
}
