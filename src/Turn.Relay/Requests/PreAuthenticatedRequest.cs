using Turn.Protocol;

namespace Turn.Relay.Requests;

/// <summary>What the pre-authentication stage learnt about a request it let through.</summary>
internal readonly record struct PreAuthenticatedRequest(StunMethod Method, string Username, byte[]? UserHash, string OfferedRealm,
    bool UseSha256, bool WantsFingerprint);
