namespace Turn.Protocol;

/// <summary>Why <see cref="ChannelData.TryParse"/> refused its input.</summary>
public enum ChannelDataParseError
{
    None = 0,
    /// <summary>Fewer than the 4 header bytes.</summary>
    TooShort,
    /// <summary>The channel number is outside 0x4000-0x7FFF (the first two bits are not 01).</summary>
    InvalidChannelNumber,
    /// <summary>Fewer bytes than the header's length field claims.</summary>
    Truncated,
}
