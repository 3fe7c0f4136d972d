using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Turn.Protocol;

/// <summary>
/// A validated, read-only view of one STUN message (RFC 8489), made by <see cref="TryParse"/>.
/// </summary>
/// <remarks>
/// <para>
/// Parsing never throws on bad input and never allocates: it returns a <see cref="StunParseError"/>.
/// It checks the first two bits, the magic cookie, that the header length is a multiple of 4 and
/// equals the bytes given, that every attribute (with its padding) lies inside the message,
/// the lengths of the integrity attributes, and that FINGERPRINT is last.
/// </para>
/// <para>
/// Attributes after MESSAGE-INTEGRITY, other than MESSAGE-INTEGRITY-SHA256 and FINGERPRINT, are
/// ignored by lookups and enumeration (RFC 8489 section 14.5). The Verify methods hash the right
/// prefix with the header length adjusted as sections 14.5-14.7 say.
/// </para>
/// <code>
/// if (StunMessageReader.TryParse(datagram, out var request) != StunParseError.None) return;
/// if (request.Method == StunMethod.Allocate &amp;&amp; request.Class == StunClass.Request) { ... }
/// </code>
/// </remarks>
public readonly ref struct StunMessageReader
{
    // Verification copies the hashed prefix to patch its length; small messages use the stack.
    private const int StackScratchLength = 1536;

    // Offsets are stored plus one so that a default reader (from a failed TryParse) has none.
    private readonly int _messageIntegrityOffsetPlusOne;
    private readonly int _messageIntegritySha256OffsetPlusOne;
    private readonly int _fingerprintOffsetPlusOne;

    private StunMessageReader(ReadOnlySpan<byte> message, int messageIntegrityOffset, int messageIntegritySha256Offset, int fingerprintOffset)
    {
        Message = message;
        _messageIntegrityOffsetPlusOne = messageIntegrityOffset + 1;
        _messageIntegritySha256OffsetPlusOne = messageIntegritySha256Offset + 1;
        _fingerprintOffsetPlusOne = fingerprintOffset + 1;
    }

    /// <summary>The whole message, header included (empty for the default reader a failed TryParse leaves).</summary>
    public ReadOnlySpan<byte> Message { get; }

    /// <summary>The 14-bit message type (method and class interleaved).</summary>
    public ushort MessageType => IsEmpty ? (ushort)0 : BinaryPrimitives.ReadUInt16BigEndian(Message);

    public StunMethod Method => StunMessageType.GetMethod(MessageType);

    public StunClass Class => StunMessageType.GetClass(MessageType);

    /// <summary>The header's length field: bytes after the 20-byte header.</summary>
    public int Length => IsEmpty ? 0 : Message.Length - StunConstants.HeaderLength;

    /// <summary>The 12 transaction id bytes, as needed to XOR IPv6 addresses.</summary>
    public ReadOnlySpan<byte> TransactionIdBytes => IsEmpty ? default : Message.Slice(8, StunConstants.TransactionIdLength);

    public TransactionId TransactionId => IsEmpty ? default : new(TransactionIdBytes);

    /// <summary>Offset of the MESSAGE-INTEGRITY attribute header, or -1.</summary>
    public int MessageIntegrityOffset => _messageIntegrityOffsetPlusOne - 1;

    /// <summary>Offset of the MESSAGE-INTEGRITY-SHA256 attribute header, or -1.</summary>
    public int MessageIntegritySha256Offset => _messageIntegritySha256OffsetPlusOne - 1;

    /// <summary>Offset of the FINGERPRINT attribute header, or -1.</summary>
    public int FingerprintOffset => _fingerprintOffsetPlusOne - 1;

    public bool HasMessageIntegrity => MessageIntegrityOffset >= 0;

    public bool HasMessageIntegritySha256 => MessageIntegritySha256Offset >= 0;

    public bool HasFingerprint => FingerprintOffset >= 0;

    // Only the default reader is empty: a parsed message has at least its header.
    private bool IsEmpty => Message.Length < StunConstants.HeaderLength;

    /// <summary>
    /// Validates <paramref name="message"/>, which must be exactly one message (a whole UDP
    /// datagram, or one frame cut by <see cref="StreamFraming"/>).
    /// </summary>
    public static StunParseError TryParse(ReadOnlySpan<byte> message, out StunMessageReader reader)
    {
        reader = default;
        if (message.Length < StunConstants.HeaderLength) return StunParseError.TooShort;
        if ((message[0] & 0xC0) != 0) return StunParseError.NotStun;
        if (BinaryPrimitives.ReadUInt32BigEndian(message[4..]) != StunConstants.MagicCookie) return StunParseError.BadMagicCookie;
        int length = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        if (length % 4 != 0) return StunParseError.LengthNotMultipleOfFour;
        if (length != message.Length - StunConstants.HeaderLength) return StunParseError.LengthMismatch;

        int messageIntegrity = -1, messageIntegritySha256 = -1, fingerprint = -1;
        int offset = StunConstants.HeaderLength;
        while (offset < message.Length)
        {
            if (fingerprint >= 0) return StunParseError.FingerprintNotLast;
            // The body length is a multiple of 4, so a whole attribute header always fits here.
            if (message.Length - offset < StunConstants.AttributeHeaderLength) return StunParseError.AttributeTruncated;
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
            int valueLength = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]);
            int next = offset + StunConstants.AttributeHeaderLength + Padding.Pad4(valueLength);
            if (next > message.Length) return StunParseError.AttributeTruncated;

            switch ((StunAttributeType)type)
            {
                case StunAttributeType.MessageIntegrity when messageIntegrity < 0 && messageIntegritySha256 < 0:
                    if (valueLength != StunConstants.MessageIntegrityLength) return StunParseError.InvalidIntegrityLength;
                    messageIntegrity = offset;
                    break;
                case StunAttributeType.MessageIntegritySha256 when messageIntegritySha256 < 0:
                    if (valueLength < StunConstants.MessageIntegritySha256MinLength
                        || valueLength > StunConstants.MessageIntegritySha256Length
                        || valueLength % 4 != 0) return StunParseError.InvalidIntegrityLength;
                    messageIntegritySha256 = offset;
                    break;
                case StunAttributeType.Fingerprint:
                    if (valueLength != StunConstants.FingerprintLength) return StunParseError.InvalidIntegrityLength;
                    fingerprint = offset;
                    break;
            }
            offset = next;
        }

        reader = new StunMessageReader(message, messageIntegrity, messageIntegritySha256, fingerprint);
        return StunParseError.None;
    }

    /// <summary>All attributes in order (ignored ones skipped).</summary>
    public StunAttributeEnumerator GetAttributes() =>
        new(Message, MessageIntegrityOffset, MessageIntegritySha256Offset, -1);

    /// <summary>Every attribute of one type, in order (e.g. several XOR-PEER-ADDRESS).</summary>
    public StunAttributeEnumerator GetAttributes(StunAttributeType type) =>
        new(Message, MessageIntegrityOffset, MessageIntegritySha256Offset, (ushort)type);

    /// <summary>The first attribute of <paramref name="type"/>.</summary>
    public bool TryGetAttribute(StunAttributeType type, out StunAttribute attribute)
    {
        foreach (StunAttribute candidate in GetAttributes(type))
        {
            attribute = candidate;
            return true;
        }
        attribute = default;
        return false;
    }

    public bool Contains(StunAttributeType type) => TryGetAttribute(type, out _);

    /// <summary>The first attribute of <paramref name="type"/> decoded as an XOR address.</summary>
    public bool TryGetXorAddress(StunAttributeType type, out TransportAddress address)
    {
        address = default;
        return TryGetAttribute(type, out StunAttribute attribute) && attribute.TryReadXorAddress(TransactionIdBytes, out address);
    }

    /// <summary>The first attribute of <paramref name="type"/> decoded as a plain address (MAPPED-ADDRESS, ALTERNATE-SERVER).</summary>
    public bool TryGetAddress(StunAttributeType type, out TransportAddress address)
    {
        address = default;
        return TryGetAttribute(type, out StunAttribute attribute) && attribute.TryReadAddress(out address);
    }

    /// <summary>The first attribute of <paramref name="type"/> decoded as a 32-bit number (LIFETIME).</summary>
    public bool TryGetUInt32(StunAttributeType type, out uint value)
    {
        value = 0;
        return TryGetAttribute(type, out StunAttribute attribute) && attribute.TryReadUInt32(out value);
    }

    /// <summary>The raw value of the first attribute of <paramref name="type"/> (USERNAME, REALM, NONCE, DATA ...).</summary>
    public bool TryGetValue(StunAttributeType type, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (!TryGetAttribute(type, out StunAttribute attribute)) return false;
        value = attribute.Value;
        return true;
    }

    /// <summary>
    /// Collects the comprehension-required attribute types this library does not know, for an
    /// UNKNOWN-ATTRIBUTES attribute in a 420 response. Writes at most destination.Length types
    /// (each once) and returns how many it wrote; 0 means the message may be processed.
    /// The destination must hold at least one type, or a 0 could hide an unknown attribute.
    /// </summary>
    public int GetUnknownComprehensionRequired(Span<ushort> destination)
    {
        if (destination.IsEmpty) throw new ArgumentException("Room for at least one attribute type is needed.", nameof(destination));
        int count = 0;
        foreach (StunAttribute attribute in GetAttributes())
        {
            if (!attribute.IsComprehensionRequired || StunAttributeTypes.IsKnown(attribute.RawType)) continue;
            if (destination[..count].Contains(attribute.RawType)) continue;
            if (count == destination.Length) break;
            destination[count++] = attribute.RawType;
        }
        return count;
    }

    /// <summary>
    /// Checks MESSAGE-INTEGRITY (HMAC-SHA1 with <paramref name="key"/>) in constant time.
    /// False when the message has none. For long-term credentials the key is
    /// <see cref="LongTermKey"/>; for short-term ones, the password's UTF-8 bytes.
    /// </summary>
    public bool VerifyMessageIntegrity(ReadOnlySpan<byte> key)
    {
        if (MessageIntegrityOffset < 0) return false;
        Span<byte> hash = stackalloc byte[HMACSHA1.HashSizeInBytes];
        ComputeIntegrity(MessageIntegrityOffset, StunConstants.MessageIntegrityLength, key, sha256: false, hash);
        ReadOnlySpan<byte> expected = Message.Slice(MessageIntegrityOffset + StunConstants.AttributeHeaderLength, StunConstants.MessageIntegrityLength);
        return CryptographicOperations.FixedTimeEquals(hash, expected);
    }

    /// <summary>Checks MESSAGE-INTEGRITY-SHA256 (HMAC-SHA256, possibly truncated) in constant time.</summary>
    public bool VerifyMessageIntegritySha256(ReadOnlySpan<byte> key)
    {
        if (MessageIntegritySha256Offset < 0) return false;
        int valueLength = BinaryPrimitives.ReadUInt16BigEndian(Message[(MessageIntegritySha256Offset + 2)..]);
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        ComputeIntegrity(MessageIntegritySha256Offset, valueLength, key, sha256: true, hash);
        ReadOnlySpan<byte> expected = Message.Slice(MessageIntegritySha256Offset + StunConstants.AttributeHeaderLength, valueLength);
        return CryptographicOperations.FixedTimeEquals(hash[..valueLength], expected);
    }

    /// <summary>Checks FINGERPRINT (CRC-32 of everything before it, XOR 0x5354554E). False when absent.</summary>
    public bool VerifyFingerprint()
    {
        if (FingerprintOffset < 0) return false;
        uint expected = BinaryPrimitives.ReadUInt32BigEndian(Message[(FingerprintOffset + StunConstants.AttributeHeaderLength)..]);
        return (Crc32.Compute(Message[..FingerprintOffset]) ^ StunConstants.FingerprintXor) == expected;
    }

    // Hashes the message up to the integrity attribute with the header length set as if the
    // message ended right after that attribute (RFC 8489 sections 14.5 and 14.6).
    private void ComputeIntegrity(int attributeOffset, int valueLength, ReadOnlySpan<byte> key, bool sha256, Span<byte> hash)
    {
        byte[]? rented = null;
        Span<byte> scratch = attributeOffset <= StackScratchLength
            ? stackalloc byte[StackScratchLength]
            : (rented = ArrayPool<byte>.Shared.Rent(attributeOffset));
        try
        {
            Span<byte> prefix = scratch[..attributeOffset];
            Message[..attributeOffset].CopyTo(prefix);
            int adjustedLength = attributeOffset + StunConstants.AttributeHeaderLength + valueLength - StunConstants.HeaderLength;
            BinaryPrimitives.WriteUInt16BigEndian(prefix[2..], (ushort)adjustedLength);
            if (sha256) HMACSHA256.HashData(key, prefix, hash);
            else HMACSHA1.HashData(key, prefix, hash);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
