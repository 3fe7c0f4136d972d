namespace Turn.Protocol;

/// <summary>
/// Attribute types used by STUN (RFC 8489 section 18.3) and TURN (RFC 8656 section 18).
/// 0x0000-0x7FFF are comprehension-required, 0x8000-0xFFFF comprehension-optional
/// (see <see cref="StunAttributeTypes"/>).
/// </summary>
public enum StunAttributeType : ushort
{
    // Comprehension-required.
    MappedAddress = 0x0001,
    Username = 0x0006,
    MessageIntegrity = 0x0008,
    ErrorCode = 0x0009,
    UnknownAttributes = 0x000A,
    ChannelNumber = 0x000C,
    Lifetime = 0x000D,
    XorPeerAddress = 0x0012,
    Data = 0x0013,
    Realm = 0x0014,
    Nonce = 0x0015,
    XorRelayedAddress = 0x0016,
    RequestedAddressFamily = 0x0017,
    EvenPort = 0x0018,
    RequestedTransport = 0x0019,
    DontFragment = 0x001A,
    MessageIntegritySha256 = 0x001C,
    PasswordAlgorithm = 0x001D,
    UserHash = 0x001E,
    XorMappedAddress = 0x0020,
    ReservationToken = 0x0022,

    // Comprehension-optional.
    AdditionalAddressFamily = 0x8000,
    AddressErrorCode = 0x8001,
    PasswordAlgorithms = 0x8002,
    AlternateDomain = 0x8003,
    Icmp = 0x8004,
    Software = 0x8022,
    AlternateServer = 0x8023,
    Fingerprint = 0x8028,

    /// <summary>ORIGIN (0x802F, draft-ietf-tram-stun-origin, as coturn reads it): the web origin of the page that opened the session.</summary>
    Origin = 0x802F,
}
