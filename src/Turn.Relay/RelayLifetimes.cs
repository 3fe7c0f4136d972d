namespace Turn.Relay;

/// <summary>Protocol lifetimes, each as the RFC gives it.</summary>
internal static class RelayLifetimes
{
    /// <summary>RFC 8656 section 2.2 and 7.2: an allocation lives 10 minutes unless refreshed.</summary>
    public static readonly TimeSpan DefaultAllocation = TimeSpan.FromSeconds(600);

    /// <summary>RFC 8656 section 7.2: the server may cap the requested lifetime; one hour, as coturn.</summary>
    public static readonly TimeSpan MaxAllocation = TimeSpan.FromSeconds(3600);

    /// <summary>RFC 8656 section 9: a permission lasts 300 seconds (5 minutes), not configurable.</summary>
    public static readonly TimeSpan Permission = TimeSpan.FromSeconds(300);

    /// <summary>RFC 8656 section 12: a channel binding lasts 10 minutes.</summary>
    public static readonly TimeSpan Channel = TimeSpan.FromSeconds(600);

    /// <summary>
    /// RFC 8656 section 12: after a binding expires, the number and the peer stay unusable for
    /// another 5 minutes so a stale ChannelData cannot reach a new peer.
    /// </summary>
    public static readonly TimeSpan ChannelQuarantine = TimeSpan.FromSeconds(300);

    /// <summary>RFC 8489 section 9.2: nonce lifetime is the server's choice; 10 minutes, as coturn.</summary>
    public static readonly TimeSpan Nonce = TimeSpan.FromSeconds(600);

    /// <summary>RFC 8656 section 7.2 (EVEN-PORT, R bit): a reserved port is held for about 30 seconds.</summary>
    public static readonly TimeSpan Reservation = TimeSpan.FromSeconds(30);
}
