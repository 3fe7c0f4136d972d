using System.Collections.Concurrent;
using Turn.Protocol;
using Turn.Relay.Seams;
using Turn.Relay.Transports;

namespace Turn.Relay.Allocations;

/// <summary>
/// One allocation (RFC 8656 section 2.2). Control-plane changes (permissions, channels, lifetime)
/// happen under <see cref="Sync"/>; the data path only reads concurrent dictionaries and volatile
/// fields. Counters for each direction are written by that direction's single receive loop.
/// </summary>
internal sealed class Allocation
{
    /// <summary>Permissions one allocation may hold (CreatePermission and ChannelBind answer 508 beyond).</summary>
    public const int MaxPermissions = 1_000;

    private long _expiresAt;
    private long _nextEntryExpiry = long.MaxValue;
    private int _deleted;

    public Allocation(string id, ClientConnection client, string username, string realm, byte[] key,
        IRelaySocket socket, TransportAddress relayedAddress, DateTimeOffset created, long expiresAt, TransactionId createdBy)
    {
        Id = id;
        Client = client;
        Username = username;
        Realm = realm;
        Key = key;
        Socket = socket;
        RelayedAddress = relayedAddress;
        Created = created;
        _expiresAt = expiresAt;
        CreatedBy = createdBy;
    }

    public string Id { get; }

    public ClientConnection Client { get; }

    public FiveTupleKey FiveTuple => Client.Key;

    public string Username { get; }

    public string Realm { get; }

    /// <summary>Whose user quota the allocation counts against in its realm (the user part of a TURN REST name); set by the table.</summary>
    public string QuotaUser { get; set; } = "";

    /// <summary>The long-term key the allocation was authenticated with (for response integrity).</summary>
    public byte[] Key { get; }

    public IRelaySocket Socket { get; }

    /// <summary>
    /// Hex SHA-256 of the TURN REST secret that signed the credentials (see Auth.SecretFingerprint), so deleting
    /// that secret can end the allocation; null for a stored long-term key. Set once, at creation.
    /// </summary>
    public string? SigningSecretSha256 { get; init; }

    /// <summary>The relayed transport address as advertised to the client (after ExternalAddress).</summary>
    public TransportAddress RelayedAddress { get; }

    public DateTimeOffset Created { get; }

    /// <summary>The Allocate transaction that made it: a retransmission gets the same success.</summary>
    public TransactionId CreatedBy { get; }

    /// <summary>Lifetime the allocation was created with, in seconds (for a repeated success).</summary>
    public uint GrantedLifetimeSeconds { get; set; }

    /// <summary>Reservation token returned on creation (EVEN-PORT with R), or 0.</summary>
    public ulong ReservationToken { get; set; }

    public object Sync { get; } = new();

    public long ExpiresAt
    {
        get => Volatile.Read(ref _expiresAt);
        set => Volatile.Write(ref _expiresAt, value);
    }

    public bool IsDeleted => Volatile.Read(ref _deleted) != 0;

    /// <summary>
    /// No permission or channel of this allocation expires before this timestamp (long.MaxValue: none held), so the
    /// expiry sweep passes the allocation by without enumerating its maps: enumerating them every half second for
    /// every allocation allocated an enumerator per map and filled the GC's generation 0 on an idle relay
    /// (docs/PERFORMANCE.md). It may be early (an entry was refreshed since), never late. Lowered under
    /// <see cref="Sync"/> when an entry is added, recomputed by the sweep under <see cref="Sync"/>.
    /// </summary>
    public long NextEntryExpiry
    {
        get => Volatile.Read(ref _nextEntryExpiry);
        set => Volatile.Write(ref _nextEntryExpiry, value);
    }

    /// <summary>An entry was added that expires at <paramref name="expiresAt"/>; call under <see cref="Sync"/>.</summary>
    public void NoteEntryExpiry(long expiresAt)
    {
        if (expiresAt < NextEntryExpiry) NextEntryExpiry = expiresAt;
    }

    /// <summary>Marks the allocation deleted; true only for the first caller.</summary>
    public bool MarkDeleted() => Interlocked.Exchange(ref _deleted, 1) == 0;

    // Per-allocation maps are small (a call has a few peers) and written only under Sync (or by the sweep), so one
    // lock and a few buckets each: the defaults (a lock per core, 31 buckets) cost an estimated 1 KB more per allocation
    // for nothing (docs/PERFORMANCE.md, "Where the memory goes"). Readers never lock either way.
    private const int MapLocks = 1;
    private const int MapCapacity = 3;

    /// <summary>Keyed by peer IP with port 0.</summary>
    public ConcurrentDictionary<TransportAddress, Permission> Permissions { get; } = new(MapLocks, MapCapacity);

    /// <summary>
    /// Installs or refreshes the permission for the peer's IP address; call under <see cref="Sync"/>. A
    /// <paramref name="guard"/> (the peer is one of the relay's own addresses) restricts the ports Send may reach.
    /// </summary>
    public void InstallPermission(in TransportAddress peer, long expires, Policy.SelfPeerGuard? guard = null)
    {
        var key = peer.WithPort(0);
        if (!Permissions.TryGetValue(key, out var permission))
        {
            // The guard is in place before the data path can see the permission.
            Permissions[key] = new Permission(key, expires) { Guard = guard };
            NoteEntryExpiry(expires);
            return;
        }
        permission.Guard = guard;
        permission.ExpiresAt = expires;
    }

    public ConcurrentDictionary<ushort, ChannelBinding> ChannelsByNumber { get; } = new(MapLocks, MapCapacity);

    public ConcurrentDictionary<TransportAddress, ChannelBinding> ChannelsByPeer { get; } = new(MapLocks, MapCapacity);

    public TokenBucket? ToPeerLimit { get; set; }

    public TokenBucket? ToClientLimit { get; set; }

    // Client-to-peer counters: written only by the client's receive loop.
    public long BytesFromClient;
    public long PacketsFromClient;
    public long DroppedFromClient;

    // Peer-to-client counters: written only by the relay socket's receive loop.
    public long BytesToClient;
    public long PacketsToClient;
    public long DroppedToClient;

    public RelayTransport Transport => Client.Transport;
}
