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
