namespace Turn.Protocol;

/// <summary>The reason phrases RFC 8489 and RFC 8656 suggest for each error code.</summary>
public static class StunReasonPhrases
{
    /// <summary>The standard phrase, or "Error" for a code without one. Never allocates.</summary>
    public static string Get(StunErrorCode code) => code switch
    {
        StunErrorCode.TryAlternate => "Try Alternate",
        StunErrorCode.BadRequest => "Bad Request",
        StunErrorCode.Unauthorized => "Unauthorized",
        StunErrorCode.Forbidden => "Forbidden",
        StunErrorCode.UnknownAttribute => "Unknown Attribute",
        StunErrorCode.AllocationMismatch => "Allocation Mismatch",
        StunErrorCode.StaleNonce => "Stale Nonce",
        StunErrorCode.AddressFamilyNotSupported => "Address Family not Supported",
        StunErrorCode.WrongCredentials => "Wrong Credentials",
        StunErrorCode.UnsupportedTransportProtocol => "Unsupported Transport Protocol",
        StunErrorCode.PeerAddressFamilyMismatch => "Peer Address Family Mismatch",
        StunErrorCode.AllocationQuotaReached => "Allocation Quota Reached",
        StunErrorCode.ServerError => "Server Error",
        StunErrorCode.InsufficientCapacity => "Insufficient Capacity",
        _ => "Error",
    };
}
