namespace Admin.Data;

/// <summary>Tuning of the data layer (configuration section "AdminData"). Defaults suit most deployments.</summary>
public sealed class AdminDataOptions
{
    public const string Section = "AdminData";

    /// <summary>
    /// Most cached positive entries of each kind (known users, USERHASHes that name a user, realms' secrets, realms'
    /// policies; default 100,000 each). When a kind is full its least recently used entry is evicted, never the rest.
    /// Also bounds the last-known-good entries kept for outages.
    /// </summary>
    public int CacheMaxEntries { get; set; } = 100_000;

    /// <summary>
    /// Most cached negative answers of each kind (unknown or disabled users, USERHASHes that name no user; default
    /// 100,000 each), in a space of their own: probing with made-up names evicts only other made-up names, least
    /// recently used first, and never a known user's entry.
    /// </summary>
    public int NegativeCacheMaxEntries { get; set; } = 100_000;

    /// <summary>
    /// Longest time an entry is served from cache (default 5 minutes). Changes arrive by notification within
    /// a second; this only bounds staleness if a notification were ever lost without the connection dropping.
    /// </summary>
    public TimeSpan CacheMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest wait between reconnection attempts of the change listener (default 5 s; it starts at 100 ms).</summary>
    public TimeSpan ListenerMaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Oldest last-known-good answer (a user's key, a realm's secrets or policy, as last read from PostgreSQL) the
    /// relay may use when a lookup fails because the database cannot be reached (default 1 hour; 00:00:00 = never:
    /// every lookup the database cannot answer gets 500). Revocations seen through notifications remove entries at once.
    /// </summary>
    public TimeSpan OutageFallbackMaxAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often the realm directory (origins, host names and realm names the relay picks a realm by) is read again
    /// (default 2 s). Changes made through this process's portal, API or CLI apply at once; this bounds how long a
    /// change made by another node or by coturn's tools takes to reach this relay.
    /// </summary>
    public TimeSpan RealmDirectoryRefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Null when valid, else a message naming the bad key.</summary>
    internal string? Validate()
    {
        if (CacheMaxEntries < 100) return $"{Section}:{nameof(CacheMaxEntries)} must be at least 100 (is {CacheMaxEntries}).";
        if (NegativeCacheMaxEntries < 100) return $"{Section}:{nameof(NegativeCacheMaxEntries)} must be at least 100 (is {NegativeCacheMaxEntries}).";
        if (CacheMaxAge < TimeSpan.FromSeconds(1)) return $"{Section}:{nameof(CacheMaxAge)} must be at least 00:00:01 (is {CacheMaxAge}).";
        if (ListenerMaxReconnectDelay < TimeSpan.FromMilliseconds(100) || ListenerMaxReconnectDelay > TimeSpan.FromMinutes(5))
            return $"{Section}:{nameof(ListenerMaxReconnectDelay)} must be between 00:00:00.1 and 00:05:00 (is {ListenerMaxReconnectDelay}).";
        if (OutageFallbackMaxAge != TimeSpan.Zero && (OutageFallbackMaxAge < TimeSpan.FromSeconds(1) || OutageFallbackMaxAge > TimeSpan.FromDays(7)))
            return $"{Section}:{nameof(OutageFallbackMaxAge)} must be 00:00:00 (off) or between 00:00:01 and 7.00:00:00 (is {OutageFallbackMaxAge}).";
        if (RealmDirectoryRefreshInterval < TimeSpan.FromMilliseconds(100) || RealmDirectoryRefreshInterval > TimeSpan.FromMinutes(10))
            return $"{Section}:{nameof(RealmDirectoryRefreshInterval)} must be between 00:00:00.1 and 00:10:00 (is {RealmDirectoryRefreshInterval}).";
        return null;
    }
}
