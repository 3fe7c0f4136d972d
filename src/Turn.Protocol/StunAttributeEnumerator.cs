using System.Buffers.Binary;

namespace Turn.Protocol;

/// <summary>
/// Walks the attributes of a parsed message in order (use with foreach), optionally only those of
/// one type (e.g. every XOR-PEER-ADDRESS). Attributes that RFC 8489 says to ignore, those after
/// MESSAGE-INTEGRITY other than MESSAGE-INTEGRITY-SHA256 and FINGERPRINT, are skipped.
/// The message was validated by <see cref="StunMessageReader.TryParse"/>, so no bound is re-checked here.
/// </summary>
public ref struct StunAttributeEnumerator
{
    private readonly ReadOnlySpan<byte> _message;
    private readonly int _integrityOffset;
    private readonly int _messageIntegrityOffset;
    private readonly int _messageIntegritySha256Offset;
    private readonly int _filter;
    private int _next;
    private StunAttribute _current;

    internal StunAttributeEnumerator(ReadOnlySpan<byte> message, int messageIntegrityOffset, int messageIntegritySha256Offset, int filter)
    {
        _message = message;
        _messageIntegrityOffset = messageIntegrityOffset;
        _messageIntegritySha256Offset = messageIntegritySha256Offset;
        _integrityOffset = messageIntegrityOffset < 0 ? messageIntegritySha256Offset
            : messageIntegritySha256Offset < 0 ? messageIntegrityOffset
            : Math.Min(messageIntegrityOffset, messageIntegritySha256Offset);
        _filter = filter;
        _next = StunConstants.HeaderLength;
        _current = default;
    }

    public readonly StunAttribute Current => _current;

    public readonly StunAttributeEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_next + StunConstants.AttributeHeaderLength <= _message.Length)
        {
            int offset = _next;
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(_message[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(_message[(offset + 2)..]);
            _next = offset + StunConstants.AttributeHeaderLength + Padding.Pad4(length);
            if (IsIgnored(offset, type)) continue;
            if (_filter >= 0 && type != _filter) continue;
            _current = new StunAttribute(type, _message.Slice(offset + StunConstants.AttributeHeaderLength, length), offset);
            return true;
        }
        return false;
    }

    private readonly bool IsIgnored(int offset, ushort type)
    {
        if (_integrityOffset < 0 || offset <= _integrityOffset) return false;
        if (offset == _messageIntegrityOffset || offset == _messageIntegritySha256Offset) return false;
        return type != (ushort)StunAttributeType.Fingerprint;
    }
}
