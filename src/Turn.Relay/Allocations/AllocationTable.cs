using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Turn.Relay.Diagnostics;
using Turn.Relay.Engine;
using Turn.Relay.Seams;
using Turn.Relay.State;
using Turn.Relay.Transports;

namespace Turn.Relay.Allocations;

/// <summary>
/// Every allocation of the server, found by client 5-tuple (data path, requests) and by id
/// (control); the ports held for RESERVATION-TOKENs; the per-user and per-realm counts quotas are
/// checked against; deletion and the expiry sweep; the drain switch. The maps are concurrent so the
/// data path reads them without a lock; adding, deleting and the quota counts change only under
/// one lock.
/// </summary>
internal sealed partial class AllocationTable
{
    // Flat lookups: the client 5-tuple and the allocation id to the allocation.
    private readonly ConcurrentDictionary<FiveTupleKey, Allocation> _byFiveTuple = new();
    private readonly ConcurrentDictionary<string, Allocation> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ulong, Reservation> _reservations = new();

    // Quota bookkeeping; changed only under _lock (control path).
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Realm, string User), int> _perUser = [];
    private readonly Dictionary<string, int> _perRealm = new(StringComparer.Ordinal);

    private readonly PortAllocator _ports;
    private readonly int _maxAllocations;
    private readonly TimeProvider _time;
    private readonly long _quarantineTicks;
    private readonly RelayTrafficLedger _totals;
    private readonly RelayStateChanges _changes;
    private readonly RelayEventPublisher _events;
    private readonly RelayMetrics _metrics;
    private readonly ILogger _logger;
    private readonly IClusterUserCounts? _clusterCounts;   // told every change of a user's count (under _lock, no I/O)
    private int _draining;   // 1 while draining (Interlocked: one caller changes it)

    public AllocationTable(PortAllocator ports, int maxAllocations, TimeProvider time, RelayTrafficLedger totals,
        RelayStateChanges changes, RelayEventPublisher events, RelayMetrics metrics, ILogger logger, IClusterUserCounts? clusterCounts = null)
    {
        _clusterCounts = clusterCounts;
        _ports = ports;
        _maxAllocations = maxAllocations;
        _time = time;
        _quarantineTicks = time.Ticks(RelayLifetimes.ChannelQuarantine);
        _totals = totals;
        _changes = changes;
        _events = events;
        _metrics = metrics;
        _logger = logger;
    }

    public int Count => _byFiveTuple.Count;

    /// <summary>A copy of the live (and just-deleted) allocations, for the control path.</summary>
    public ICollection<Allocation> All => _byId.Values;

    /// <summary>The live (and just-deleted) allocations, enumerated in place: no copy of the table (the totals' pass).</summary>
    public IEnumerable<Allocation> Enumerate()
    {
        foreach (var (_, allocation) in _byId) yield return allocation;
    }

    public bool TryGet(in FiveTupleKey fiveTuple, [MaybeNullWhen(false)] out Allocation allocation) =>
        _byFiveTuple.TryGetValue(fiveTuple, out allocation);

    /// <summary>The 5-tuple's allocation unless it is being deleted: what a Refresh, CreatePermission or ChannelBind acts on.</summary>
    public bool TryGetLive(in FiveTupleKey fiveTuple, [MaybeNullWhen(false)] out Allocation allocation) =>
        _byFiveTuple.TryGetValue(fiveTuple, out allocation) && !allocation.IsDeleted;

    public bool TryGetById(string id, [MaybeNullWhen(false)] out Allocation allocation) => _byId.TryGetValue(id, out allocation);

    public bool Contains(in FiveTupleKey fiveTuple) => _byFiveTuple.ContainsKey(fiveTuple);

    /// <summary>While draining, Allocate is refused (508) and live allocations run on.</summary>
    public bool IsDraining => Volatile.Read(ref _draining) != 0;

    /// <summary>
    /// Relay:MaxAllocations reached or no relay port left, counted by ports held (one per allocation and per
    /// reservation), so it takes no lock: a hint for redirecting a new Allocate early; TryAdd stays the judge.
    /// </summary>
    public bool IsFull => (_maxAllocations > 0 && _ports.InUseCount >= _maxAllocations) || _ports.IsExhausted;

    /// <summary>Turns draining on or off; true only for the caller that changed it.</summary>
    public bool SetDraining(bool draining)
    {
        var value = draining ? 1 : 0;
        return Interlocked.Exchange(ref _draining, value) != value;
    }

    /// <summary>
    /// Adds the allocation <paramref name="plan"/> describes if no allocation holds its 5-tuple, its quotas
    /// allow it and a relay socket can be had; <paramref name="create"/> builds it on that socket at the
    /// timestamp given. Checks and insertion happen under one lock, so two requests cannot both take the
    /// last unit of a quota. EVEN-PORT with R needs two units (the allocation and its reservation); claiming a
    /// RESERVATION-TOKEN moves the reservation's unit to the new allocation.
    /// </summary>
    public bool TryAdd(AllocationPlan plan, Func<IRelaySocket, long, Allocation> create,
        [NotNullWhen(true)] out Allocation? allocation, out AllocationRefusal refusal)
    {
        allocation = null;
        lock (_lock)
        {
            var userKey = (plan.Realm, plan.QuotaKey);
            Reservation? claimed = null;
            if (plan.ReservationToken is { } wanted) _reservations.TryGetValue(wanted, out claimed);
            var units = plan.ReserveNext ? 2 : 1;
            var userUnits = units - (claimed is not null && claimed.Realm == plan.Realm && claimed.QuotaUser == plan.QuotaKey ? 1 : 0);
            var realmUnits = units - (claimed is not null && claimed.Realm == plan.Realm ? 1 : 0);
            var serverUnits = units - (claimed is not null ? 1 : 0);
            refusal = _byFiveTuple.ContainsKey(plan.FiveTuple) ? AllocationRefusal.FiveTupleInUse
                : Exceeds(plan.UserQuota, _perUser.GetValueOrDefault(userKey) + plan.OtherNodesUserCount, userUnits) ? AllocationRefusal.UserQuota
                : Exceeds(plan.TotalQuota, _perRealm.GetValueOrDefault(plan.Realm), realmUnits) ? AllocationRefusal.TotalQuota
                : Exceeds(_maxAllocations, _byFiveTuple.Count + _reservations.Count, serverUnits) ? AllocationRefusal.ServerCapacity
                : AllocationRefusal.None;
            if (refusal != AllocationRefusal.None) return false;

            IRelaySocket? socket;
            IRelaySocket? reserved = null;
            if (plan.ReservationToken is { } token)
            {
                // RFC 8656 section 7.2 step 5: a token names a port reserved by an earlier EVEN-PORT R=1.
                socket = _reservations.TryRemove(token, out var reservation) ? reservation.Socket : null;
                if (reservation is not null) RemoveUnit(reservation.Realm, reservation.QuotaUser);
            }
            else if (!_ports.TryAllocate(plan.Bind, plan.EvenPort, plan.ReserveNext, out socket, out reserved))
            {
                socket = null;
            }
            if (socket is null)
            {
                refusal = plan.ReservationToken is null ? AllocationRefusal.RelayPorts : AllocationRefusal.ReservationToken;
                return false;
            }

            var now = _time.GetTimestamp();
            allocation = create(socket, now);
            allocation.QuotaUser = plan.QuotaKey;
            if (reserved is not null)
            {
                var reservationToken = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
                _reservations[reservationToken] = new Reservation(reservationToken, reserved, now + _time.Ticks(RelayLifetimes.Reservation), plan.Realm, plan.QuotaKey);
                AddUnit(plan.Realm, plan.QuotaKey);
                allocation.ReservationToken = reservationToken;
            }
            _byFiveTuple[plan.FiveTuple] = allocation;
            _byId[allocation.Id] = allocation;
            AddUnit(plan.Realm, plan.QuotaKey);
        }
        return true;
    }

    /// <summary>Units held per (realm, quota user), for tests and the control path.</summary>
    public int CountFor(string realm, string quotaUser)
    {
        lock (_lock) return _perUser.GetValueOrDefault((realm, quotaUser));
    }

    /// <summary>Units held in a realm (allocations and reservations).</summary>
    public int CountForRealm(string realm)
    {
        lock (_lock) return _perRealm.GetValueOrDefault(realm);
    }

    // A limit of 0 is unlimited; a request that takes no new unit (it claims its own reservation) is never refused.
    private static bool Exceeds(int limit, int held, int units) => limit > 0 && units > 0 && held + units > limit;

    // Both under _lock.
    private void AddUnit(string realm, string quotaUser)
    {
        var userKey = (realm, quotaUser);
        var count = _perUser.GetValueOrDefault(userKey) + 1;
        _perUser[userKey] = count;
        _clusterCounts?.LocalCountChanged(realm, quotaUser, count);
        _perRealm[realm] = _perRealm.GetValueOrDefault(realm) + 1;
    }

    private void RemoveUnit(string realm, string quotaUser)
    {
        var userKey = (realm, quotaUser);
        if (_perUser.TryGetValue(userKey, out var users))
        {
            if (users <= 1) _perUser.Remove(userKey);
            else _perUser[userKey] = users - 1;
            _clusterCounts?.LocalCountChanged(realm, quotaUser, Math.Max(users - 1, 0));
        }
        if (_perRealm.TryGetValue(realm, out var realms))
        {
            if (realms <= 1) _perRealm.Remove(realm);
            else _perRealm[realm] = realms - 1;
        }
    }

    /// <summary>
    /// Deletes the allocation; only the first call for it does anything. Its port is freed, its quota
    /// units returned, and its traffic kept in the totals.
    /// </summary>
    public void Delete(Allocation allocation, string reason)
    {
        if (!allocation.MarkDeleted()) return;
        lock (_lock)
        {
            _byFiveTuple.TryRemove(new KeyValuePair<FiveTupleKey, Allocation>(allocation.FiveTuple, allocation));
            _byId.TryRemove(allocation.Id, out _);
            RemoveUnit(allocation.Realm, allocation.QuotaUser);
        }
        _ports.Release(allocation.Socket);
        _totals.AddDeleted(allocation);
        _changes.MarkChanged();
        _metrics.RecordAllocationDuration(_time.GetUtcNow() - allocation.Created, allocation.Transport);
        LogAllocationDeleted(_logger, allocation.Id, reason);
        _events.Raise(RelayEventKind.AllocationDeleted, allocation, null, reason);
    }

    // One sweep for every expiry in the table (RFC 8656: allocations, permissions, channels;
    // reservations). The data path checks expiries itself, so this only frees memory and ports. It allocates
    // nothing per allocation: an allocation's maps are looked at only once something in them is due.
    public void Sweep(long now)
    {
        foreach (var (_, allocation) in _byId)
        {
            if (now >= allocation.ExpiresAt)
            {
                Delete(allocation, "expired");
                continue;
            }
            if (now >= allocation.NextEntryExpiry) SweepEntries(allocation, now);
        }
        foreach (var (_, reservation) in _reservations)
        {
            if (now >= reservation.ExpiresAt) Release(reservation);
        }
    }

    // Removes the allocation's expired permissions and the channels past their quarantine, and notes when the
    // next of the others is due. Under the allocation's lock, so an entry added meanwhile keeps its due time.
    private void SweepEntries(Allocation allocation, long now)
    {
        var changed = false;
        var next = long.MaxValue;
        lock (allocation.Sync)
        {
            foreach (var (key, permission) in allocation.Permissions)
            {
                var expires = permission.ExpiresAt;
                if (now < expires) next = Math.Min(next, expires);
                else changed |= allocation.Permissions.TryRemove(new(key, permission));
            }
            foreach (var (number, binding) in allocation.ChannelsByNumber)
            {
                var freed = binding.ExpiresAt + _quarantineTicks;
                if (now < freed)
                {
                    next = Math.Min(next, freed);
                    continue;
                }
                allocation.ChannelsByNumber.TryRemove(new(number, binding));
                allocation.ChannelsByPeer.TryRemove(new(binding.Peer, binding));
                changed = true;
            }
            allocation.NextEntryExpiry = next;
        }
        if (changed) _changes.MarkChanged();
    }

    // Frees an unclaimed reservation's port and quota unit; a claim that won the race took both already.
    private void Release(Reservation reservation)
    {
        lock (_lock)
        {
            if (!_reservations.TryRemove(new(reservation.Token, reservation))) return;
            RemoveUnit(reservation.Realm, reservation.QuotaUser);
        }
        _ports.Release(reservation.Socket);
    }

    /// <summary>At shutdown: every allocation deleted, every reserved port freed.</summary>
    public void DeleteAll(string reason)
    {
        foreach (var (_, allocation) in _byId) Delete(allocation, reason);
        foreach (var (_, reservation) in _reservations) Release(reservation);
    }

    [LoggerMessage(EventId = 1412, Level = LogLevel.Debug, Message = "Allocation {Id} deleted: {Reason}")]
    private static partial void LogAllocationDeleted(ILogger logger, string id, string reason);
}
