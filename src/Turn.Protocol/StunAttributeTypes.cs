namespace Turn.Protocol;

/// <summary>Ranges of attribute types and the set this library understands (RFC 8489 section 14).</summary>
public static class StunAttributeTypes
{
    public const ushort ComprehensionRequiredFirst = 0x0000;
    public const ushort ComprehensionRequiredLast = 0x7FFF;
    public const ushort ComprehensionOptionalFirst = 0x8000;
    public const ushort ComprehensionOptionalLast = 0xFFFF;

    /// <summary>True for 0x0000-0x7FFF: an agent that does not understand one must reject the message (420).</summary>
    public static bool IsComprehensionRequired(ushort type) => type <= ComprehensionRequiredLast;

    /// <summary>True when the type is one of <see cref="StunAttributeType"/>'s named values.</summary>
    public static bool IsKnown(ushort type) => (StunAttributeType)type switch
    {
        StunAttributeType.MappedAddress or StunAttributeType.Username or StunAttributeType.MessageIntegrity
            or StunAttributeType.ErrorCode or StunAttributeType.UnknownAttributes or StunAttributeType.ChannelNumber
            or StunAttributeType.Lifetime or StunAttributeType.XorPeerAddress or StunAttributeType.Data
            or StunAttributeType.Realm or StunAttributeType.Nonce or StunAttributeType.XorRelayedAddress
            or StunAttributeType.RequestedAddressFamily or StunAttributeType.EvenPort
            or StunAttributeType.RequestedTransport or StunAttributeType.DontFragment
            or StunAttributeType.MessageIntegritySha256 or StunAttributeType.PasswordAlgorithm
            or StunAttributeType.UserHash or StunAttributeType.XorMappedAddress
            or StunAttributeType.ReservationToken or StunAttributeType.AdditionalAddressFamily
            or StunAttributeType.AddressErrorCode or StunAttributeType.PasswordAlgorithms
            or StunAttributeType.AlternateDomain or StunAttributeType.Icmp or StunAttributeType.Software
            or StunAttributeType.AlternateServer or StunAttributeType.Fingerprint
            or StunAttributeType.Origin => true,
        _ => false,
    };
}
