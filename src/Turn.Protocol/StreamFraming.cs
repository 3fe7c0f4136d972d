using System.Buffers.Binary;

namespace Turn.Protocol;

/// <summary>
/// Cuts a TCP or TLS byte stream into STUN messages and ChannelData messages (RFC 8656 section
/// 12.5 and RFC 8489 section 6.2.2): STUN frames are 20 + length bytes; ChannelData frames are
/// 4 + length rounded up to a multiple of 4. Allocation-free.
/// </summary>
public static class StreamFraming
{
    /// <summary>Bytes needed to size a STUN frame: type, length and magic cookie.</summary>
    public const int StunPrefixLength = 8;

    /// <summary>
    /// The largest frame either kind can describe: a STUN message of 20 + 0xFFFC bytes (a padded
    /// ChannelData of 65535 bytes is 65540, smaller). A receive buffer this large never stalls.
    /// </summary>
    public const int MaxFrameLength = StunConstants.MaxMessageLength;

    /// <summary>
    /// Looks at the start of <paramref name="buffer"/> and tells the length of the next frame.
    /// The frame is complete once buffer.Length &gt;= <paramref name="frameLength"/>.
    /// </summary>
    public static StreamFrameStatus TryGetFrameLength(ReadOnlySpan<byte> buffer, out PacketKind kind, out int frameLength)
    {
        kind = PacketKind.Unknown;
        frameLength = 0;
        if (buffer.Length == 0) return StreamFrameStatus.NeedMoreData;
        switch (buffer[0] >> 6)
        {
            case 0b00:
                if (buffer.Length < StunPrefixLength) return StreamFrameStatus.NeedMoreData;
                int stunLength = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
                if (stunLength % 4 != 0 || BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]) != StunConstants.MagicCookie)
                    return StreamFrameStatus.Invalid;
                kind = PacketKind.Stun;
                frameLength = StunConstants.HeaderLength + stunLength;
                return StreamFrameStatus.Frame;
            case 0b01:
                if (buffer.Length < ChannelData.HeaderLength) return StreamFrameStatus.NeedMoreData;
                int dataLength = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
                kind = PacketKind.ChannelData;
                frameLength = ChannelData.HeaderLength + Padding.Pad4(dataLength);
                return StreamFrameStatus.Frame;
            default:
                return StreamFrameStatus.Invalid;
        }
    }
}
