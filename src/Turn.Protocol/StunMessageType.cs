namespace Turn.Protocol;

/// <summary>
/// Encodes and decodes the 14-bit message type: method bits M0-M11 interleaved with class bits
/// C0 (bit 4) and C1 (bit 8), as drawn in RFC 8489 section 5, figure 3.
/// </summary>
public static class StunMessageType
{
    /// <summary>The largest method number that fits the 12 method bits.</summary>
    public const ushort MaxMethod = 0x0FFF;

    public static ushort Encode(StunMethod method, StunClass messageClass)
    {
        int m = (ushort)method & MaxMethod;
        int c = (byte)messageClass & 0b11;
        return (ushort)((m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2)
            | ((c & 0b01) << 4) | ((c & 0b10) << 7));
    }

    public static StunMethod GetMethod(ushort messageType) =>
        (StunMethod)((messageType & 0x000F) | ((messageType & 0x00E0) >> 1) | ((messageType & 0x3E00) >> 2));

    public static StunClass GetClass(ushort messageType) =>
        (StunClass)(((messageType >> 4) & 0b01) | ((messageType >> 7) & 0b10));
}
