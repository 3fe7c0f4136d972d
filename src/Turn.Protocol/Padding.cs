namespace Turn.Protocol;

/// <summary>STUN attributes and stream-carried ChannelData are padded to 4-byte boundaries.</summary>
internal static class Padding
{
    public static int Pad4(int length) => (length + 3) & ~3;
}
