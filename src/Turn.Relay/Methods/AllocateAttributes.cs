using Turn.Protocol;

namespace Turn.Relay.Methods;

/// <summary>
/// An Allocate request's attributes, read and checked (RFC 8656 section 7.2, steps 3 to 7): the
/// first step of Allocate, before anything is looked up or reserved.
/// </summary>
internal readonly record struct AllocateAttributes(
    bool DontFragment,
    ulong? ReservationToken,
    bool EvenPort,
    bool ReserveNext,
    StunAddressFamily Family,
    bool AdditionalIPv6)
{
    // IANA protocol number of UDP: the only relayed transport offered.
    private const byte Udp = 17;

    /// <summary>Null when the attributes are acceptable; else why not.</summary>
    public static Refusal? Read(in StunMessageReader request, out AllocateAttributes attributes)
    {
        attributes = default;
        // 3. REQUESTED-TRANSPORT: required, and UDP is the only relayed transport we offer.
        if (!request.TryGetAttribute(StunAttributeType.RequestedTransport, out var transport)
            || !transport.TryReadRequestedTransport(out var protocol))
        {
            return new Refusal(StunErrorCode.BadRequest, "REQUESTED-TRANSPORT missing or malformed");
        }
        if (protocol != Udp) return Refusal.Standard(StunErrorCode.UnsupportedTransportProtocol);
        // 4. DONT-FRAGMENT: accepted; DF is set on IPv4 relay sockets where the OS allows it
        //    (IPv6 routers never fragment, so it holds there by nature).
        var dontFragment = request.Contains(StunAttributeType.DontFragment);

        var hasToken = request.TryGetAttribute(StunAttributeType.ReservationToken, out var tokenAttribute);
        var hasEvenPort = request.TryGetAttribute(StunAttributeType.EvenPort, out var evenPortAttribute);
        var hasFamily = request.TryGetAttribute(StunAttributeType.RequestedAddressFamily, out var familyAttribute);
        var hasAdditional = request.TryGetAttribute(StunAttributeType.AdditionalAddressFamily, out var additionalAttribute);
        // 5. RESERVATION-TOKEN excludes EVEN-PORT and REQUESTED-ADDRESS-FAMILY.
        if (hasToken && (hasEvenPort || hasFamily || hasAdditional))
        {
            return new Refusal(StunErrorCode.BadRequest, "RESERVATION-TOKEN with EVEN-PORT or an address family");
        }
        if (hasFamily && hasAdditional)
        {
            return new Refusal(StunErrorCode.BadRequest, "REQUESTED-ADDRESS-FAMILY with ADDITIONAL-ADDRESS-FAMILY");
        }
        ulong token = 0;
        if (hasToken && !tokenAttribute.TryReadReservationToken(out token))
        {
            return new Refusal(StunErrorCode.BadRequest, "Malformed RESERVATION-TOKEN");
        }
        var reserveNext = false;
        if (hasEvenPort && !evenPortAttribute.TryReadEvenPort(out reserveNext))
        {
            return new Refusal(StunErrorCode.BadRequest, "Malformed EVEN-PORT");
        }
        // 7. REQUESTED-ADDRESS-FAMILY: IPv4 (the default) or IPv6, else 440.
        var family = StunAddressFamily.IPv4;
        if (hasFamily && (!familyAttribute.TryReadAddressFamily(out family) || family is not (StunAddressFamily.IPv4 or StunAddressFamily.IPv6)))
        {
            return Refusal.Standard(StunErrorCode.AddressFamilyNotSupported);
        }
        // ADDITIONAL-ADDRESS-FAMILY (dual allocation) may only ask for IPv6; we relay one family
        // per allocation, so the IPv6 part is refused in ADDRESS-ERROR-CODE (RFC 8656 section 7.2).
        if (hasAdditional && (!additionalAttribute.TryReadAddressFamily(out var additional) || additional != StunAddressFamily.IPv6))
        {
            return new Refusal(StunErrorCode.BadRequest, "ADDITIONAL-ADDRESS-FAMILY must be IPv6");
        }
        attributes = new AllocateAttributes(dontFragment, hasToken ? token : null, hasEvenPort, reserveNext, family, hasAdditional);
        return null;
    }
}
