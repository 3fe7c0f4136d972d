using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Turn.Protocol;

/// <summary>
/// Writes one STUN message into a caller's buffer without allocating.
/// </summary>
/// <remarks>
/// <para>
/// Start with <see cref="WriteHeader(StunMethod, StunClass, TransactionId)"/>, add attributes
/// (padding and the header length are kept right after every call), then optionally
/// <see cref="WriteMessageIntegrity"/>, <see cref="WriteMessageIntegritySha256"/> and
/// <see cref="WriteFingerprint"/>, in that order. <see cref="Length"/> is the message length.
/// </para>
/// <para>
/// Every Write method returns false, and writes nothing, when the buffer is too small or the
/// value cannot be encoded, or after FINGERPRINT; it never throws for that. A false is sticky in
/// <see cref="HasFailed"/>.
/// </para>
/// <code>
/// var writer = new StunMessageWriter(buffer);
/// writer.WriteHeader(StunMethod.Binding, StunClass.SuccessResponse, request.TransactionId);
/// writer.WriteXorAddress(StunAttributeType.XorMappedAddress, client);
/// writer.WriteFingerprint();
/// if (!writer.HasFailed) send(buffer[..writer.Length]);
/// </code>
/// </remarks>
public ref struct StunMessageWriter
{
    /// <summary>ERROR-CODE reason phrases are at most 127 characters (RFC 8489 section 14.8).</summary>
    public const int MaxReasonPhraseCharacters = 127;

    private readonly Span<byte> _buffer;
    private int _length;
    private bool _failed;
    private bool _fingerprinted;

    public StunMessageWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _length = 0;
        _failed = false;
        _fingerprinted = false;
    }

    /// <summary>Bytes written so far: the message length once finished.</summary>
    public readonly int Length => _length;

    /// <summary>The message written so far.</summary>
    public readonly ReadOnlySpan<byte> WrittenSpan => _buffer[.._length];

    /// <summary>True once any Write returned false.</summary>
    public readonly bool HasFailed => _failed;

    private readonly ReadOnlySpan<byte> TransactionIdBytes => _buffer.Slice(8, StunConstants.TransactionIdLength);

    public bool WriteHeader(StunMethod method, StunClass messageClass, TransactionId transactionId)
    {
        if (_buffer.Length < StunConstants.HeaderLength) return Fail();
        BinaryPrimitives.WriteUInt16BigEndian(_buffer, StunMessageType.Encode(method, messageClass));
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[4..], StunConstants.MagicCookie);
        transactionId.CopyTo(_buffer[8..]);
        _length = StunConstants.HeaderLength;
        _fingerprinted = false;
        return true;
    }

    /// <summary>A header from a raw 14-bit type and 12 transaction id bytes.</summary>
    public bool WriteHeader(ushort messageType, ReadOnlySpan<byte> transactionId)
    {
        if (messageType > 0x3FFF || transactionId.Length != StunConstants.TransactionIdLength) return Fail();
        if (_buffer.Length < StunConstants.HeaderLength) return Fail();
        BinaryPrimitives.WriteUInt16BigEndian(_buffer, messageType);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[4..], StunConstants.MagicCookie);
        transactionId.CopyTo(_buffer[8..]);
        _length = StunConstants.HeaderLength;
        _fingerprinted = false;
        return true;
    }

    /// <summary>Any attribute from its raw value (padding added).</summary>
    public bool WriteAttribute(StunAttributeType type, ReadOnlySpan<byte> value) => WriteAttribute((ushort)type, value);

    public bool WriteAttribute(ushort type, ReadOnlySpan<byte> value)
    {
        if (!TryBeginAttribute(type, value.Length, out Span<byte> destination)) return false;
        value.CopyTo(destination);
        return true;
    }

    /// <summary>A UTF-8 text attribute: USERNAME, REALM, NONCE, SOFTWARE, ALTERNATE-DOMAIN.</summary>
    public bool WriteString(StunAttributeType type, ReadOnlySpan<char> text)
    {
        int byteCount = Encoding.UTF8.GetByteCount(text);
        if (!TryBeginAttribute((ushort)type, byteCount, out Span<byte> destination)) return false;
        Encoding.UTF8.GetBytes(text, destination);
        return true;
    }

    /// <summary>A 32-bit number attribute (LIFETIME).</summary>
    public bool WriteUInt32(StunAttributeType type, uint value)
    {
        if (!TryBeginAttribute((ushort)type, 4, out Span<byte> destination)) return false;
        BinaryPrimitives.WriteUInt32BigEndian(destination, value);
        return true;
    }

    public bool WriteLifetime(uint seconds) => WriteUInt32(StunAttributeType.Lifetime, seconds);

    /// <summary>MAPPED-ADDRESS or ALTERNATE-SERVER: the address in the clear.</summary>
    public bool WriteAddress(StunAttributeType type, in TransportAddress address) => WriteAddressCore(type, address, xor: false);

    /// <summary>XOR-MAPPED-ADDRESS, XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS (after the header, whose transaction id is used).</summary>
    public bool WriteXorAddress(StunAttributeType type, in TransportAddress address) => WriteAddressCore(type, address, xor: true);

    /// <summary>ERROR-CODE with the standard reason phrase.</summary>
    public bool WriteErrorCode(StunErrorCode code) => WriteErrorCode((int)code, StunReasonPhrases.Get(code));

    /// <summary>ERROR-CODE: code 300-699 and a reason phrase of at most 127 characters.</summary>
    public bool WriteErrorCode(int code, ReadOnlySpan<char> reasonPhrase)
    {
        if (code < 300 || code > 699 || reasonPhrase.Length > MaxReasonPhraseCharacters) return Fail();
        int byteCount = Encoding.UTF8.GetByteCount(reasonPhrase);
        if (!TryBeginAttribute((ushort)StunAttributeType.ErrorCode, 4 + byteCount, out Span<byte> destination)) return false;
        destination[0] = 0;
        destination[1] = 0;
        destination[2] = (byte)(code / 100);
        destination[3] = (byte)(code % 100);
        Encoding.UTF8.GetBytes(reasonPhrase, destination[4..]);
        return true;
    }

    /// <summary>UNKNOWN-ATTRIBUTES listing the given types.</summary>
    public bool WriteUnknownAttributes(ReadOnlySpan<ushort> types)
    {
        if (!TryBeginAttribute((ushort)StunAttributeType.UnknownAttributes, types.Length * 2, out Span<byte> destination)) return false;
        for (int i = 0; i < types.Length; i++)
            BinaryPrimitives.WriteUInt16BigEndian(destination[(i * 2)..], types[i]);
        return true;
    }

    public bool WriteChannelNumber(ushort channelNumber)
    {
        if (!TryBeginAttribute((ushort)StunAttributeType.ChannelNumber, 4, out Span<byte> destination)) return false;
        BinaryPrimitives.WriteUInt16BigEndian(destination, channelNumber);
        destination[2] = 0;
        destination[3] = 0;
        return true;
    }

    /// <summary>REQUESTED-TRANSPORT with an IANA protocol number (17 = UDP, 6 = TCP).</summary>
    public bool WriteRequestedTransport(byte protocol)
    {
        if (!TryBeginAttribute((ushort)StunAttributeType.RequestedTransport, 4, out Span<byte> destination)) return false;
        destination[0] = protocol;
        destination[1..4].Clear();
        return true;
    }

    public bool WriteEvenPort(bool reserveNextPort)
    {
        if (!TryBeginAttribute((ushort)StunAttributeType.EvenPort, 1, out Span<byte> destination)) return false;
        destination[0] = reserveNextPort ? (byte)0x80 : (byte)0;
        return true;
    }

    public bool WriteDontFragment() => WriteAttribute(StunAttributeType.DontFragment, []);

    public bool WriteReservationToken(ulong token)
    {
        if (!TryBeginAttribute((ushort)StunAttributeType.ReservationToken, 8, out Span<byte> destination)) return false;
        BinaryPrimitives.WriteUInt64BigEndian(destination, token);
        return true;
    }

    public bool WriteRequestedAddressFamily(StunAddressFamily family) => WriteFamily(StunAttributeType.RequestedAddressFamily, family);

    public bool WriteAdditionalAddressFamily(StunAddressFamily family) => WriteFamily(StunAttributeType.AdditionalAddressFamily, family);

    /// <summary>ADDRESS-ERROR-CODE (RFC 8656 section 18.13).</summary>
    public bool WriteAddressErrorCode(StunAddressFamily family, int code, ReadOnlySpan<char> reasonPhrase)
    {
        if (code < 300 || code > 699 || reasonPhrase.Length > MaxReasonPhraseCharacters) return Fail();
        int byteCount = Encoding.UTF8.GetByteCount(reasonPhrase);
        if (!TryBeginAttribute((ushort)StunAttributeType.AddressErrorCode, 4 + byteCount, out Span<byte> destination)) return false;
        destination[0] = (byte)family;
        destination[1] = 0;
        destination[2] = (byte)(code / 100);
        destination[3] = (byte)(code % 100);
        Encoding.UTF8.GetBytes(reasonPhrase, destination[4..]);
        return true;
    }

    /// <summary>ICMP (RFC 8656 section 18.14) in a Data indication.</summary>
    public bool WriteIcmp(byte icmpType, byte icmpCode, uint errorData)
    {
        if (!TryBeginAttribute((ushort)StunAttributeType.Icmp, 8, out Span<byte> destination)) return false;
        destination[0] = 0;
        destination[1] = 0;
        destination[2] = icmpType;
        destination[3] = icmpCode;
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], errorData);
        return true;
    }

    /// <summary>PASSWORD-ALGORITHM without parameters (MD5 and SHA-256 have none).</summary>
    public bool WritePasswordAlgorithm(PasswordAlgorithm algorithm)
    {
        if (!TryBeginAttribute((ushort)StunAttributeType.PasswordAlgorithm, 4, out Span<byte> destination)) return false;
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)algorithm);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
        return true;
    }

    /// <summary>PASSWORD-ALGORITHMS listing the algorithms, each without parameters.</summary>
    public bool WritePasswordAlgorithms(ReadOnlySpan<PasswordAlgorithm> algorithms)
    {
        if (!TryBeginAttribute((ushort)StunAttributeType.PasswordAlgorithms, algorithms.Length * 4, out Span<byte> destination)) return false;
        for (int i = 0; i < algorithms.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[(i * 4)..], (ushort)algorithms[i]);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(i * 4 + 2)..], 0);
        }
        return true;
    }

    public bool WriteData(ReadOnlySpan<byte> data) => WriteAttribute(StunAttributeType.Data, data);

    /// <summary>
    /// MESSAGE-INTEGRITY: HMAC-SHA1 with <paramref name="key"/> over the message so far, with the
    /// header length covering this attribute (RFC 8489 section 14.5).
    /// </summary>
    public bool WriteMessageIntegrity(ReadOnlySpan<byte> key)
    {
        int offset = _length;
        if (!TryBeginAttribute((ushort)StunAttributeType.MessageIntegrity, StunConstants.MessageIntegrityLength, out Span<byte> destination)) return false;
        // TryBeginAttribute already set the header length to include this attribute.
        HMACSHA1.HashData(key, _buffer[..offset], destination);
        return true;
    }

    /// <summary>MESSAGE-INTEGRITY-SHA256: HMAC-SHA256 (32 bytes, untruncated), section 14.6.</summary>
    public bool WriteMessageIntegritySha256(ReadOnlySpan<byte> key)
    {
        int offset = _length;
        if (!TryBeginAttribute((ushort)StunAttributeType.MessageIntegritySha256, StunConstants.MessageIntegritySha256Length, out Span<byte> destination)) return false;
        HMACSHA256.HashData(key, _buffer[..offset], destination);
        return true;
    }

    /// <summary>FINGERPRINT: CRC-32 of the message so far XOR 0x5354554E; must be the last attribute.</summary>
    public bool WriteFingerprint()
    {
        int offset = _length;
        if (!TryBeginAttribute((ushort)StunAttributeType.Fingerprint, StunConstants.FingerprintLength, out Span<byte> destination)) return false;
        BinaryPrimitives.WriteUInt32BigEndian(destination, Crc32.Compute(_buffer[..offset]) ^ StunConstants.FingerprintXor);
        _fingerprinted = true;
        return true;
    }

    private bool WriteAddressCore(StunAttributeType type, in TransportAddress address, bool xor)
    {
        int valueLength = StunAddressCodec.EncodedLength(address);
        if (valueLength == 0) return Fail();
        if (!TryBeginAttribute((ushort)type, valueLength, out Span<byte> destination)) return false;
        StunAddressCodec.Encode(destination, address, xor, TransactionIdBytes);
        return true;
    }

    private bool WriteFamily(StunAttributeType type, StunAddressFamily family)
    {
        if (!TryBeginAttribute((ushort)type, 4, out Span<byte> destination)) return false;
        destination[0] = (byte)family;
        destination[1..4].Clear();
        return true;
    }

    // Writes the attribute header and padding, updates the message length, and hands out the
    // value's bytes. Nothing is written when the attribute does not fit.
    private bool TryBeginAttribute(ushort type, int valueLength, out Span<byte> value)
    {
        value = default;
        // Nothing may follow FINGERPRINT (RFC 8489 section 14.7).
        if (_length < StunConstants.HeaderLength || _fingerprinted || valueLength > ushort.MaxValue) return Fail();
        int total = StunConstants.AttributeHeaderLength + Padding.Pad4(valueLength);
        if (_length + total > StunConstants.MaxMessageLength || _length + total > _buffer.Length) return Fail();
        Span<byte> attribute = _buffer.Slice(_length, total);
        BinaryPrimitives.WriteUInt16BigEndian(attribute, type);
        BinaryPrimitives.WriteUInt16BigEndian(attribute[2..], (ushort)valueLength);
        attribute[(StunConstants.AttributeHeaderLength + valueLength)..].Clear();
        value = attribute.Slice(StunConstants.AttributeHeaderLength, valueLength);
        _length += total;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], (ushort)(_length - StunConstants.HeaderLength));
        return true;
    }

    private bool Fail()
    {
        _failed = true;
        return false;
    }
}
