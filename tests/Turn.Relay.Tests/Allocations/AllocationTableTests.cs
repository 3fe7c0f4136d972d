using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Turn.Protocol;
using Turn.Relay.Allocations;
using Turn.Relay.Diagnostics;
using Turn.Relay.Engine;
using Turn.Relay.Hosting;
using Turn.Relay.State;
using Turn.Relay.Tests.Support;
using Turn.Relay.Transports;

namespace Turn.Relay.Tests.Allocations;

public sealed class AllocationTableTests : IDisposable
{
    private static readonly TransportAddress Server = TransportAddress.FromIPAddress(IPAddress.Parse("192.0.2.1"), 3478);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly TestRelaySocketFactory _sockets = new();
    private readonly RelayMetrics _metrics = new(new StandaloneMeterFactory());
    private readonly AllocationTable _table;
    private int _nextClientPort = 40000;

    public AllocationTableTests()
    {
        _table = new AllocationTable(new PortAllocator(50000, 50009, _sockets), maxAllocations: 0, _time, new RelayTrafficLedger(),
            new RelayStateChanges(NullLogger.Instance), new RelayEventPublisher([], _time, NullLogger.Instance), _metrics, NullLogger.Instance);
    }

    [Fact]
    public void TryAdd_UserAtQuota_RefusedUntilTheirAllocationIsDeleted()
    {
        Assert.True(TryAdd(NewClient(), userQuota: 1, out var first, out _));

        Assert.False(TryAdd(NewClient(), userQuota: 1, out _, out var refusal));
        Assert.Equal(AllocationRefusal.UserQuota, refusal);

        _table.Delete(first!, "test");
        Assert.True(TryAdd(NewClient(), userQuota: 1, out _, out _));
        Assert.Equal(1, _table.Count);
    }

    [Fact]
    public void TryAdd_FiveTupleWithAnAllocation_RefusedWithoutTakingAPort()
    {
        var client = NewClient();
        Assert.True(TryAdd(client, userQuota: 0, out _, out _));

        Assert.False(TryAdd(client, userQuota: 0, out _, out var refusal));
        Assert.Equal(AllocationRefusal.FiveTupleInUse, refusal);
        Assert.Single(_sockets.Bound);
    }

    [Fact]
    public void TryAdd_UnknownReservationToken_Refused()
    {
        var plan = Plan(NewClient(), userQuota: 0) with { ReservationToken = 42 };

        Assert.False(_table.TryAdd(plan, (socket, now) => Create(NewClient(), socket, now), out _, out var refusal));
        Assert.Equal(AllocationRefusal.ReservationToken, refusal);
    }

    [Fact]
    public void Sweep_AfterTheLifetime_DeletesTheAllocationAndFreesItsPort()
    {
        Assert.True(TryAdd(NewClient(), userQuota: 0, out var allocation, out _));

        _time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        _table.Sweep(_time.GetTimestamp());

        Assert.Equal(0, _table.Count);
        Assert.True(allocation!.IsDeleted);
        Assert.False(_table.TryGetById(allocation.Id, out _));
        Assert.True(((TestRelaySocket)allocation.Socket).Disposed);
    }

    [Fact]
    public void SetDraining_OnlyTheCallerThatChangesItGetsTrue()
    {
        Assert.True(_table.SetDraining(true));
        Assert.False(_table.SetDraining(true));
        Assert.True(_table.IsDraining);
        Assert.True(_table.SetDraining(false));
        Assert.False(_table.SetDraining(false));
        Assert.False(_table.IsDraining);
    }

    [Fact]
    public void TryAdd_EvenPortWithReservation_CountsTwoUnitsAgainstTheUserQuota()
    {
        // Issue 13: a reservation holds a port, so it counts like an allocation of the user who made it.
        Assert.True(_table.TryAdd(Plan(NewClient(), userQuota: 3) with { EvenPort = true, ReserveNext = true },
            (socket, now) => Create(NewClient(), socket, now), out var first, out _));
        Assert.NotEqual(0UL, first!.ReservationToken);
        Assert.Equal(2, _table.CountFor(EngineHarness.Realm, EngineHarness.User));
        Assert.Equal(2, _table.CountForRealm(EngineHarness.Realm));

        // Two more units would make 4 > 3.
        Assert.False(_table.TryAdd(Plan(NewClient(), userQuota: 3) with { EvenPort = true, ReserveNext = true },
            (socket, now) => Create(NewClient(), socket, now), out _, out var refusal));
        Assert.Equal(AllocationRefusal.UserQuota, refusal);
        Assert.True(TryAdd(NewClient(), userQuota: 3, out _, out _));
        Assert.False(TryAdd(NewClient(), userQuota: 3, out _, out refusal));
        Assert.Equal(AllocationRefusal.UserQuota, refusal);
    }

    [Fact]
    public void TryAdd_ClaimingYourOwnReservation_MovesItsUnitAndIsNotRefusedAtTheQuota()
    {
        Assert.True(_table.TryAdd(Plan(NewClient(), userQuota: 2) with { EvenPort = true, ReserveNext = true },
            (socket, now) => Create(NewClient(), socket, now), out var first, out _));
        Assert.Equal(2, _table.CountFor(EngineHarness.Realm, EngineHarness.User));

        var claimer = NewClient();
        Assert.True(_table.TryAdd(Plan(claimer, userQuota: 2) with { ReservationToken = first!.ReservationToken },
            (socket, now) => Create(claimer, socket, now), out var second, out var refusal), refusal.ToString());
        Assert.Equal(2, _table.CountFor(EngineHarness.Realm, EngineHarness.User));
        Assert.Equal(first.Socket.LocalAddress.Port + 1, second!.Socket.LocalAddress.Port);

        _table.Delete(first, "test");
        _table.Delete(second, "test");
        Assert.Equal(0, _table.CountFor(EngineHarness.Realm, EngineHarness.User));
    }

    [Fact]
    public void TryAdd_AnotherUsersReservation_CountsAgainstTheClaimerAndFreesTheReserver()
    {
        Assert.True(_table.TryAdd(Plan(NewClient(), userQuota: 0) with { EvenPort = true, ReserveNext = true },
            (socket, now) => Create(NewClient(), socket, now), out var first, out _));
        var claimer = NewClient();
        Assert.True(_table.TryAdd(Plan(claimer, userQuota: 0) with { ReservationToken = first!.ReservationToken, QuotaUser = "bob" },
            (socket, now) => Create(claimer, socket, now), out _, out _));

        Assert.Equal(1, _table.CountFor(EngineHarness.Realm, EngineHarness.User));
        Assert.Equal(1, _table.CountFor(EngineHarness.Realm, "bob"));
        Assert.Equal(2, _table.CountForRealm(EngineHarness.Realm));
    }

    [Fact]
    public void Sweep_AnExpiredReservation_ReturnsItsUnitAndPort()
    {
        Assert.True(_table.TryAdd(Plan(NewClient(), userQuota: 2) with { EvenPort = true, ReserveNext = true },
            (socket, now) => Create(NewClient(), socket, now), out var first, out _));
        Assert.False(TryAdd(NewClient(), userQuota: 2, out _, out _));

        _time.Advance(TimeSpan.FromSeconds(31));
        first!.ExpiresAt = _time.GetTimestamp() + _time.Ticks(TimeSpan.FromMinutes(10));
        _table.Sweep(_time.GetTimestamp());

        Assert.Equal(1, _table.CountFor(EngineHarness.Realm, EngineHarness.User));
        Assert.True(TryAdd(NewClient(), userQuota: 2, out _, out _));
        Assert.False(_table.TryAdd(Plan(NewClient(), userQuota: 0) with { ReservationToken = first.ReservationToken },
            (socket, now) => Create(NewClient(), socket, now), out _, out var refusal));
        Assert.Equal(AllocationRefusal.ReservationToken, refusal);
    }

    [Fact]
    public void TryAdd_TotalQuotaAndMaxAllocations_CountReservations()
    {
        Assert.True(_table.TryAdd(Plan(NewClient(), userQuota: 0) with { TotalQuota = 2, EvenPort = true, ReserveNext = true },
            (socket, now) => Create(NewClient(), socket, now), out _, out _));
        Assert.False(_table.TryAdd(Plan(NewClient(), userQuota: 0) with { TotalQuota = 2, QuotaUser = "bob" },
            (socket, now) => Create(NewClient(), socket, now), out _, out var refusal));
        Assert.Equal(AllocationRefusal.TotalQuota, refusal);

        var capped = new AllocationTable(new PortAllocator(50100, 50109, _sockets), maxAllocations: 2, _time, new RelayTrafficLedger(),
            new RelayStateChanges(NullLogger.Instance), new RelayEventPublisher([], _time, NullLogger.Instance), _metrics, NullLogger.Instance);
        Assert.True(capped.TryAdd(Plan(NewClient(), userQuota: 0) with { EvenPort = true, ReserveNext = true },
            (socket, now) => Create(NewClient(), socket, now), out _, out _));
        Assert.False(capped.TryAdd(Plan(NewClient(), userQuota: 0) with { QuotaUser = "bob" },
            (socket, now) => Create(NewClient(), socket, now), out _, out refusal));
        Assert.Equal(AllocationRefusal.ServerCapacity, refusal);
        capped.DeleteAll("test over");
    }

    [Fact]
    public void TryAdd_QuotaUser_KeysTheUserQuota()
    {
        // Two TURN REST names with one user part share a quota; the plan carries the user part.
        Assert.True(_table.TryAdd(Plan(NewClient(), userQuota: 1) with { Username = "1700000000:alice", QuotaUser = "alice" },
            (socket, now) => Create(NewClient(), socket, now), out _, out _));
        Assert.False(_table.TryAdd(Plan(NewClient(), userQuota: 1) with { Username = "1700000099:alice", QuotaUser = "alice" },
            (socket, now) => Create(NewClient(), socket, now), out _, out var refusal));
        Assert.Equal(AllocationRefusal.UserQuota, refusal);
        Assert.True(_table.TryAdd(Plan(NewClient(), userQuota: 1) with { Username = "1700000099:carol", QuotaUser = "carol" },
            (socket, now) => Create(NewClient(), socket, now), out _, out _));
    }

    [Fact]
    public void Sweep_RemovesExpiredPermissionsAndQuarantinedChannels_KeepsRefreshedOnes()
    {
        Assert.True(TryAdd(NewClient(), userQuota: 0, out var allocation, out _));
        allocation!.ExpiresAt = long.MaxValue;
        var peer1 = TransportAddress.FromIPAddress(IPAddress.Parse("198.51.100.10"), 5000);
        var peer2 = TransportAddress.FromIPAddress(IPAddress.Parse("198.51.100.20"), 6000);
        lock (allocation.Sync)
        {
            allocation.InstallPermission(peer1, At(300));
            allocation.InstallPermission(peer2, At(300));
            var binding = new ChannelBinding(0x4000, peer1, At(600));
            allocation.ChannelsByNumber[0x4000] = binding;
            allocation.ChannelsByPeer[peer1] = binding;
            allocation.NoteEntryExpiry(binding.ExpiresAt);
        }
        Assert.Equal(At(300), allocation.NextEntryExpiry);

        _time.Advance(TimeSpan.FromSeconds(200));
        lock (allocation.Sync) allocation.InstallPermission(peer2, At(300)); // refreshed: now due 500 s after the start
        _time.Advance(TimeSpan.FromSeconds(101));
        _table.Sweep(_time.GetTimestamp());
        Assert.Equal(peer2.WithPort(0), Assert.Single(allocation.Permissions.Keys));
        Assert.Equal(At(199), allocation.NextEntryExpiry); // peer2's permission, 500 s after the start

        _time.Advance(TimeSpan.FromSeconds(200));
        _table.Sweep(_time.GetTimestamp());
        Assert.Empty(allocation.Permissions);
        Assert.Single(allocation.ChannelsByNumber); // expired at 600 s, quarantined until 900 s

        _time.Advance(TimeSpan.FromSeconds(400));
        _table.Sweep(_time.GetTimestamp());
        Assert.Empty(allocation.ChannelsByNumber);
        Assert.Empty(allocation.ChannelsByPeer);
        Assert.Equal(long.MaxValue, allocation.NextEntryExpiry);
    }

    [Fact]
    public void Sweep_WithNothingDue_AllocatesNothingPerAllocation()
    {
        // Issue 17: the sweep runs every half second; enumerating each allocation's maps allocated an enumerator per map
        // (tens of MB a minute at 2,000 allocations), which filled generation 0 on a relay that was only relaying.
        var peer = TransportAddress.FromIPAddress(IPAddress.Parse("198.51.100.10"), 5000);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(TryAdd(NewClient(), userQuota: 0, out var allocation, out _));
            lock (allocation!.Sync)
            {
                allocation.InstallPermission(peer, At(300));
                allocation.InstallPermission(TransportAddress.FromIPAddress(IPAddress.Parse("198.51.100.11"), 5000), At(300));
            }
        }
        _table.Sweep(_time.GetTimestamp()); // warm: first calls may allocate for the runtime
        const int Sweeps = 100;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Sweeps; i++) _table.Sweep(_time.GetTimestamp());
        var perSweep = (GC.GetAllocatedBytesForCurrentThread() - before) / Sweeps;

        // Two map enumerators per sweep (allocations, reservations), whatever the number of allocations.
        Assert.True(perSweep <= 200, $"{perSweep} B allocated per sweep of 10 allocations");
        Assert.Equal(10, _table.Count);
    }

    private long At(int seconds) => _time.GetTimestamp() + _time.Ticks(TimeSpan.FromSeconds(seconds));

    public void Dispose()
    {
        _table.DeleteAll("test over");
        _metrics.Dispose();
    }

    private TestStreamConnection NewClient() =>
        new(TransportAddress.FromIPAddress(IPAddress.Parse("203.0.113.5"), (ushort)Interlocked.Increment(ref _nextClientPort)), Server);

    private bool TryAdd(ClientConnection client, int userQuota, out Allocation? allocation, out AllocationRefusal refusal) =>
        _table.TryAdd(Plan(client, userQuota), (socket, now) => Create(client, socket, now), out allocation, out refusal);

    private static AllocationPlan Plan(ClientConnection client, int userQuota) =>
        new(client.Key, EngineHarness.Realm, EngineHarness.User, userQuota, TotalQuota: 0, ReservationToken: null,
            Server.WithPort(0), Server.WithPort(0), EvenPort: false, ReserveNext: false, TimeSpan.FromMinutes(10), MaxBitsPerSecond: 0,
            SigningSecretSha256: null);

    private Allocation Create(ClientConnection client, IRelaySocket socket, long now) =>
        new(Guid.NewGuid().ToString("N"), client, EngineHarness.User, EngineHarness.Realm, new byte[16], socket, socket.LocalAddress,
            _time.GetUtcNow(), now + _time.Ticks(TimeSpan.FromMinutes(10)), TransactionId.NewRandom());
}
