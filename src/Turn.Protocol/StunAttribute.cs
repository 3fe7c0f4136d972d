using System.Buffers.Binary;

namespace Turn.Protocol;

/// <summary>
/// One attribute of a parsed message: its type, its value (without padding) and where its
/// header starts in the message. A view over the message bytes; reading it never allocates.
/// The TryRead methods decode the value and return false when its length or contents are invalid.
/// </summary>
public readonly ref struct StunAttribute
{
    internal StunAttribute(ushort rawType, ReadOnlySpan<byte> value, int offset)
    {
        RawType = rawType;
        Value = value;
        Offset = offset;
    }

    /// <summary>The 16-bit type as on the wire (may be one <see cref="StunAttributeType"/> does not name).</summary>
    public ushort RawType { get; }

    public StunAttributeType Type => (StunAttributeType)RawType;

    /// <summary>The value, without padding.</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>Offset of the attribute's 4-byte header from the start of the message.</summary>
    public int Offset { get; }

    public bool IsComprehensionRequired => StunAttributeTypes.IsComprehensionRequired(RawType);

    /// <summary>MAPPED-ADDRESS, ALTERNATE-SERVER: family, port and address in the clear.</summary>
    public bool TryReadAddress(out TransportAddress address) =>
        StunAddressCodec.TryDecode(Value, xor: false, default, out address);

    /// <summary>
    /// XOR-MAPPED-ADDRESS, XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS: port XOR the cookie's top 16 bits,
    /// IPv4 XOR the cookie, IPv6 XOR the cookie and the transaction id (RFC 8489 section 14.2).
    /// </summary>
    public bool TryReadXorAddress(ReadOnlySpan<byte> transactionId, out TransportAddress address) =>
        StunAddressCodec.TryDecode(Value, xor: true, transactionId, out address);

    /// <summary>A 32-bit value (LIFETIME).</summary>
    public bool TryReadUInt32(out uint value)
    {
        value = 0;
        if (Value.Length != 4) return false;
        value = BinaryPrimitives.ReadUInt32BigEndian(Value);
        return true;
    }

    /// <summary>ERROR-CODE: code 300-699 (class * 100 + number) and the UTF-8 reason phrase.</summary>
    public bool TryReadErrorCode(out int code, out ReadOnlySpan<byte> reasonPhrase)
    {
        code = 0;
        reasonPhrase = default;
        if (Value.Length < 4) return false;
        int errorClass = Value[2] & 0x07;
        int number = Value[3];
        if (errorClass < 3 || errorClass > 6 || number > 99) return false;
        code = errorClass * 100 + number;
        reasonPhrase = Value[4..];
        return true;
    }

    /// <summary>CHANNEL-NUMBER: the 16-bit channel (range not checked here: see <see cref="ChannelData.IsValidChannelNumber(ushort)"/>).</summary>
    public bool TryReadChannelNumber(out ushort channelNumber)
    {
        channelNumber = 0;
        if (Value.Length != 4) return false;
        channelNumber = BinaryPrimitives.ReadUInt16BigEndian(Value);
        return true;
    }

    /// <summary>REQUESTED-TRANSPORT: the IANA protocol number (17 = UDP).</summary>
    public bool TryReadRequestedTransport(out byte protocol)
    {
        protocol = 0;
        if (Value.Length != 4) return false;
        protocol = Value[0];
        return true;
    }

    /// <summary>EVEN-PORT: the R bit asks the server to reserve the next port too.</summary>
    public bool TryReadEvenPort(out bool reserveNextPort)
    {
        reserveNextPort = false;
        if (Value.Length != 1) return false;
        reserveNextPort = (Value[0] & 0x80) != 0;
        return true;
    }

    /// <summary>REQUESTED-ADDRESS-FAMILY, ADDITIONAL-ADDRESS-FAMILY: the family byte (any value; callers judge it).</summary>
    public bool TryReadAddressFamily(out StunAddressFamily family)
    {
        family = StunAddressFamily.None;
        if (Value.Length != 4) return false;
        family = (StunAddressFamily)Value[0];
        return true;
    }

    /// <summary>RESERVATION-TOKEN: 8 opaque bytes, read as one big-endian number.</summary>
    public bool TryReadReservationToken(out ulong token)
    {
        token = 0;
        if (Value.Length != 8) return false;
        token = BinaryPrimitives.ReadUInt64BigEndian(Value);
        return true;
    }

    /// <summary>PASSWORD-ALGORITHM: algorithm number and its parameters (none defined yet).</summary>
    public bool TryReadPasswordAlgorithm(out PasswordAlgorithm algorithm, out ReadOnlySpan<byte> parameters)
    {
        algorithm = 0;
        parameters = default;
        if (Value.Length < 4) return false;
        int parameterLength = BinaryPrimitives.ReadUInt16BigEndian(Value[2..]);
        if (Value.Length != 4 + Padding.Pad4(parameterLength) && Value.Length != 4 + parameterLength) return false;
        algorithm = (PasswordAlgorithm)BinaryPrimitives.ReadUInt16BigEndian(Value);
        parameters = Value.Slice(4, parameterLength);
        return true;
    }

    /// <summary>
    /// PASSWORD-ALGORITHMS: the list of algorithms in order. Writes at most destination.Length
    /// entries; <paramref name="count"/> is the total in the attribute. False when malformed.
    /// </summary>
    public bool TryReadPasswordAlgorithms(Span<PasswordAlgorithm> destination, out int count)
    {
        count = 0;
        ReadOnlySpan<byte> rest = Value;
        while (rest.Length > 0)
        {
            if (rest.Length < 4) return false;
            int parameterLength = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
            int entryLength = 4 + Padding.Pad4(parameterLength);
            if (entryLength > rest.Length) return false;
            if (count < destination.Length) destination[count] = (PasswordAlgorithm)BinaryPrimitives.ReadUInt16BigEndian(rest);
            count++;
            rest = rest[entryLength..];
        }
        return true;
    }

    /// <summary>ADDRESS-ERROR-CODE (RFC 8656 section 18.13): family, code and UTF-8 reason.</summary>
    public bool TryReadAddressErrorCode(out StunAddressFamily family, out int code, out ReadOnlySpan<byte> reasonPhrase)
    {
        family = StunAddressFamily.None;
        code = 0;
        reasonPhrase = default;
        if (Value.Length < 4) return false;
        int errorClass = Value[2] & 0x07;
        int number = Value[3];
        if (errorClass < 3 || errorClass > 6 || number > 99) return false;
        family = (StunAddressFamily)Value[0];
        code = errorClass * 100 + number;
        reasonPhrase = Value[4..];
        return true;
    }

    /// <summary>ICMP (RFC 8656 section 18.14): ICMP type, code and the 32-bit error data.</summary>
    public bool TryReadIcmp(out byte icmpType, out byte icmpCode, out uint errorData)
    {
        icmpType = 0;
        icmpCode = 0;
        errorData = 0;
        if (Value.Length != 8) return false;
        icmpType = Value[2];
        icmpCode = Value[3];
        errorData = BinaryPrimitives.ReadUInt32BigEndian(Value[4..]);
        return true;
    }

    /// <summary>
    /// UNKNOWN-ATTRIBUTES: the listed types. Writes at most destination.Length entries;
    /// <paramref name="count"/> is the total in the attribute. False when the length is odd.
    /// </summary>
    public bool TryReadUnknownAttributes(Span<ushort> destination, out int count)
    {
        count = 0;
        if (Value.Length % 2 != 0) return false;
        count = Value.Length / 2;
        for (int i = 0; i < count && i < destination.Length; i++)
            destination[i] = BinaryPrimitives.ReadUInt16BigEndian(Value[(i * 2)..]);
        return true;
    }
}
