using System.Buffers.Binary;

namespace Turn.Protocol;

/// <summary>
/// Sorts a UDP datagram into STUN, ChannelData or neither by its first bytes, without parsing it:
/// first two bits 00 with the magic cookie is STUN; 01 is ChannelData (channels 0x4000-0x7FFF: see
/// <see cref="ChannelData"/> on the RFC 5766 range).
/// </summary>
public static class PacketClassifier
{
    public static PacketKind Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < ChannelData.HeaderLength) return PacketKind.Unknown;
        return (datagram[0] >> 6) switch
        {
            0b00 when datagram.Length >= StunConstants.HeaderLength
                && BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) == StunConstants.MagicCookie => PacketKind.Stun,
            0b01 => PacketKind.ChannelData,
            _ => PacketKind.Unknown,
        };
    }
}
