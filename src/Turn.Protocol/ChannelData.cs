using System.Buffers.Binary;

namespace Turn.Protocol;

/// <summary>
/// ChannelData messages (RFC 8656 section 12.4): channel number (2 bytes), data length (2 bytes),
/// data. Over TCP and TLS the message is padded to a multiple of 4 (the padding is not counted in
/// the length); over UDP padding is optional and extra trailing bytes are ignored.
/// </summary>
/// <remarks>
/// RFC 8656 allows channels 0x4000-0x4FFF only; RFC 5766 allowed 0x4000-0x7FFF, and real clients
/// still use that range (coturn's turnutils_uclient binds e.g. 0x7587, seen in our captures).
/// Parsing and writing therefore accept any channel whose first two bits are 01 (0x4000-0x7FFF),
/// and the choice of which channels a ChannelBind may bind is left to the server:
/// <see cref="IsValidChannelNumber(ushort)"/> (RFC 8656) or
/// <see cref="IsValidChannelNumber(ushort, bool)"/> with the RFC 5766 range allowed.
/// </remarks>
public static class ChannelData
{
    public const int HeaderLength = 4;

    /// <summary>First valid channel number (RFC 8656 section 12).</summary>
    public const ushort MinChannelNumber = 0x4000;

    /// <summary>Last valid channel number; 0x5000-0xFFFF are reserved (RFC 8656 section 12).</summary>
    public const ushort MaxChannelNumber = 0x4FFF;

    /// <summary>Last channel number RFC 5766 allowed; still used by older clients.</summary>
    public const ushort MaxRfc5766ChannelNumber = 0x7FFF;

    public const int MaxDataLength = ushort.MaxValue;

    /// <summary>True for 0x4000-0x4FFF, the channels RFC 8656 lets a ChannelBind request.</summary>
    public static bool IsValidChannelNumber(ushort channelNumber) =>
        channelNumber is >= MinChannelNumber and <= MaxChannelNumber;

    /// <summary>As <see cref="IsValidChannelNumber(ushort)"/>, or 0x4000-0x7FFF (RFC 5766) when <paramref name="allowRfc5766Range"/>.</summary>
    public static bool IsValidChannelNumber(ushort channelNumber, bool allowRfc5766Range) =>
        channelNumber >= MinChannelNumber && channelNumber <= (allowRfc5766Range ? MaxRfc5766ChannelNumber : MaxChannelNumber);

    // What can be carried as ChannelData at all: first two bits 01.
    private static bool IsChannelDataNumber(ushort channelNumber) =>
        channelNumber is >= MinChannelNumber and <= MaxRfc5766ChannelNumber;

    /// <summary>
    /// Reads channel number (0x4000-0x7FFF; see remarks) and data from a datagram or a frame.
    /// The data is a slice of <paramref name="packet"/>; bytes after it (padding) are ignored.
    /// </summary>
    public static ChannelDataParseError TryParse(ReadOnlySpan<byte> packet, out ushort channelNumber, out ReadOnlySpan<byte> data)
    {
        channelNumber = 0;
        data = default;
        if (packet.Length < HeaderLength) return ChannelDataParseError.TooShort;
        ushort channel = BinaryPrimitives.ReadUInt16BigEndian(packet);
        if (!IsChannelDataNumber(channel)) return ChannelDataParseError.InvalidChannelNumber;
        int length = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (packet.Length - HeaderLength < length) return ChannelDataParseError.Truncated;
        channelNumber = channel;
        data = packet.Slice(HeaderLength, length);
        return ChannelDataParseError.None;
    }

    /// <summary>Length of a ChannelData message carrying <paramref name="dataLength"/> bytes, padded for streams.</summary>
    public static int GetMessageLength(int dataLength, bool padToFour) =>
        HeaderLength + (padToFour ? Padding.Pad4(dataLength) : dataLength);

    /// <summary>
    /// Writes header and data (and zero padding when <paramref name="padToFour"/>, for TCP/TLS).
    /// False, with nothing written, when the channel is outside 0x4000-0x7FFF, the data too long or the buffer too small.
    /// </summary>
    public static bool TryWrite(Span<byte> destination, ushort channelNumber, ReadOnlySpan<byte> data, bool padToFour, out int bytesWritten)
    {
        bytesWritten = 0;
        if (data.Length > MaxDataLength || !IsChannelDataNumber(channelNumber)) return false;
        int total = GetMessageLength(data.Length, padToFour);
        if (destination.Length < total) return false;
        // Copy first: data may already sit in destination after the header (same buffer).
        data.CopyTo(destination[HeaderLength..]);
        WriteHeaderCore(destination, channelNumber, data.Length);
        destination[(HeaderLength + data.Length)..total].Clear();
        bytesWritten = total;
        return true;
    }

    /// <summary>
    /// Writes only the 4-byte header (and zero padding when <paramref name="padToFour"/>) around
    /// <paramref name="dataLength"/> bytes the caller already placed at destination[4..], e.g. a
    /// peer datagram received straight into the send buffer. Returns false when it does not fit.
    /// </summary>
    public static bool TryWriteHeader(Span<byte> destination, ushort channelNumber, int dataLength, bool padToFour, out int bytesWritten)
    {
        bytesWritten = 0;
        if (dataLength < 0 || dataLength > MaxDataLength || !IsChannelDataNumber(channelNumber)) return false;
        int total = GetMessageLength(dataLength, padToFour);
        if (destination.Length < total) return false;
        WriteHeaderCore(destination, channelNumber, dataLength);
        destination[(HeaderLength + dataLength)..total].Clear();
        bytesWritten = total;
        return true;
    }

    private static void WriteHeaderCore(Span<byte> destination, ushort channelNumber, int dataLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, channelNumber);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)dataLength);
    }
}
