namespace Turn.Protocol;

/// <summary>ERROR-CODE values used by STUN (RFC 8489 section 14.8) and TURN (RFC 8656 section 18).</summary>
public enum StunErrorCode : ushort
{
    TryAlternate = 300,
    BadRequest = 400,
    Unauthorized = 401,
    Forbidden = 403,
    UnknownAttribute = 420,
    AllocationMismatch = 437,
    StaleNonce = 438,
    AddressFamilyNotSupported = 440,
    WrongCredentials = 441,
    UnsupportedTransportProtocol = 442,
    PeerAddressFamilyMismatch = 443,
    AllocationQuotaReached = 486,
    ServerError = 500,
    InsufficientCapacity = 508,
}
