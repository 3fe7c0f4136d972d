namespace Admin.Data.Realms;

/// <summary>
/// One consistent reading of the realm tables: canonical origins → realm, host names → realm (keys ignore case), and
/// every realm name that exists (registered, or holding users, secrets or options written by coturn's tools).
/// Immutable: the directory swaps whole snapshots, so a lookup never sees half a reload.
/// </summary>
public sealed class RealmDirectorySnapshot
{
    public static readonly RealmDirectorySnapshot Empty = new(
        new Dictionary<string, string>(StringComparer.Ordinal),
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase),
        new HashSet<string>(StringComparer.Ordinal),
        DateTimeOffset.MinValue);

    public RealmDirectorySnapshot(
        IReadOnlyDictionary<string, string> origins, Dictionary<string, string> hostNames, HashSet<string> realms, DateTimeOffset loadedAt)
    {
        Origins = origins;
        HostNames = hostNames;
        Realms = realms;
        LoadedAt = loadedAt;
        HostNameLookup = hostNames.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Canonical origin (<see cref="OriginSyntax.Canonicalize"/>) → realm.</summary>
    public IReadOnlyDictionary<string, string> Origins { get; }

    /// <summary>Host name (lower case, no trailing dot; looked up ignoring case) → realm.</summary>
    public IReadOnlyDictionary<string, string> HostNames { get; }

    public IReadOnlySet<string> Realms { get; }

    /// <summary>When the database was read (<see cref="DateTimeOffset.MinValue"/> = never).</summary>
    public DateTimeOffset LoadedAt { get; }

    /// <summary>Span lookup, so an SNI name with a trailing dot is matched without allocating.</summary>
    internal Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> HostNameLookup { get; }
}
