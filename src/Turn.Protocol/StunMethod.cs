namespace Turn.Protocol;

/// <summary>
/// STUN methods (12 bits) used by STUN (RFC 8489) and TURN (RFC 8656 section 17).
/// Values outside the named ones may appear on the wire; the enum holds them unchanged.
/// </summary>
public enum StunMethod : ushort
{
    Binding = 0x001,
    Allocate = 0x003,
    Refresh = 0x004,
    Send = 0x006,
    Data = 0x007,
    CreatePermission = 0x008,
    ChannelBind = 0x009,
}
