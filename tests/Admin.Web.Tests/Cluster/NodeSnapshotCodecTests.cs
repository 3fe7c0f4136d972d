using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Admin.Web.Cluster;
using Admin.Web.Live;
using Turn.Relay.Seams;
using Xunit.Abstractions;

namespace Admin.Web.Tests.Cluster;

/// <summary>
/// The snapshot a node serves its peers: a round trip keeps what the Sessions page and API show, and a third of
/// 10,000 allocations stays cheap to serialise and read at a 1 s refresh (figures printed for docs/CLUSTER.md).
/// </summary>
public sealed class NodeSnapshotCodecTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 15, 0, 0, TimeSpan.Zero);

    private static LiveSession Session(int i)
    {
        var allocation = new AllocationSnapshot($"{i:x16}", $"user{i % 500}", "example.org", new IPEndPoint(IPAddress.Parse("203.0.113.7"), 40000 + i % 20000),
            (RelayTransport)(i % 3), new IPEndPoint(IPAddress.Parse("198.18.7.2"), 49152 + i % 16000), At.AddMinutes(-i % 60), At.AddMinutes(10),
            [new PermissionSnapshot(IPAddress.Parse("192.0.2.9"), At.AddMinutes(5))],
            i % 2 == 0 ? [new ChannelSnapshot(0x4000, new IPEndPoint(IPAddress.Parse("192.0.2.9"), 5000), At.AddMinutes(10))] : [],
            1_000_000 + i, 1000 + i, 2_000_000 + i, 2000 + i);
        return new LiveSession(allocation, $"{allocation.ClientAddress} ({LiveRelayFeed.Transport(allocation.Transport)})", allocation.RelayedAddress.ToString(), 64_000, 128_000, "beta");
    }

    private static LiveSnapshot Snapshot(int count) =>
        new(At, Enumerable.Range(0, count).Select(Session).ToList(), new RelaySample(At, count, count / 3, count / 3, count - 2 * (count / 3), 1e6, 2e6, 5, 1, 0));

    [Fact]
    public void RoundTrip_KeepsEveryShownField_AndTheNode()
    {
        var local = Snapshot(3);
        var json = JsonSerializer.SerializeToUtf8Bytes(NodeSnapshotCodec.ToWire("beta", local), ClusterJsonContext.Default.NodeSnapshotWire);
        var wire = JsonSerializer.Deserialize(json, ClusterJsonContext.Default.NodeSnapshotWire)!;
        var back = NodeSnapshotCodec.FromWire(wire);

        Assert.Equal(3, back.Count);
        for (var i = 0; i < 3; i++)
        {
            var (a, b) = (local.Sessions[i], back[i]);
            Assert.Equal("beta", b.Node);
            Assert.Equal(a.ClientText, b.ClientText);
            Assert.Equal(a.RelayedText, b.RelayedText);
            Assert.Equal(a.BitsPerSecondIn, b.BitsPerSecondIn);
            Assert.Equal(a.Allocation.Id, b.Allocation.Id);
            Assert.Equal(a.Allocation.Username, b.Allocation.Username);
            Assert.Equal(a.Allocation.Transport, b.Allocation.Transport);
            Assert.Equal(a.Allocation.Created, b.Allocation.Created);
            Assert.Equal(a.Allocation.Permissions.Count, b.Allocation.Permissions.Count);
            Assert.Equal(a.Allocation.Channels.Select(c => c.Peer), b.Allocation.Channels.Select(c => c.Peer));
            Assert.Equal(a.Allocation.BytesToClient, b.Allocation.BytesToClient);
        }
        Assert.Equal(1, wire.Totals.Udp);
        Assert.Equal(2e6, wire.Totals.BitsPerSecondOut);
    }

    [Fact]
    public void ThirdOfTenThousand_RoundTrips_InUnderTwoMegabytes()
    {
        var local = Snapshot(3334);
        var wire = NodeSnapshotCodec.ToWire("beta", local);
        // Warm-up, so tiered compilation has optimised the code a running node would use.
        for (var i = 0; i < 30; i++)
            NodeSnapshotCodec.FromWire(JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(NodeSnapshotCodec.ToWire("beta", local), ClusterJsonContext.Default.NodeSnapshotWire), ClusterJsonContext.Default.NodeSnapshotWire)!);
        const int Rounds = 10;
        var serialise = Stopwatch.StartNew();
        byte[] json = [];
        for (var i = 0; i < Rounds; i++) json = JsonSerializer.SerializeToUtf8Bytes(NodeSnapshotCodec.ToWire("beta", local), ClusterJsonContext.Default.NodeSnapshotWire);
        serialise.Stop();
        var parse = Stopwatch.StartNew();
        NodeSnapshotWire parsed = null!;
        for (var i = 0; i < Rounds; i++) parsed = JsonSerializer.Deserialize(json, ClusterJsonContext.Default.NodeSnapshotWire)!;
        parse.Stop();
        var convert = Stopwatch.StartNew();
        List<LiveSession> sessions = [];
        for (var i = 0; i < Rounds; i++) sessions = NodeSnapshotCodec.FromWire(parsed);
        convert.Stop();

        var serialiseMs = serialise.Elapsed.TotalMilliseconds / Rounds;
        output.WriteLine($"3,334 allocations: {json.Length:N0} bytes ({json.Length / 3334.0:0} per allocation), serialise {serialiseMs:0.0} ms, "
            + $"parse {parse.Elapsed.TotalMilliseconds / Rounds:0.0} ms + to sessions {convert.Elapsed.TotalMilliseconds / Rounds:0.0} ms");
        Assert.Equal(3334, sessions.Count);
        Assert.Equal(local.Sessions.Select(s => s.Id).Order(StringComparer.Ordinal), sessions.Select(s => s.Id).Order(StringComparer.Ordinal));
        // Each node sends this once per tick per peer: its size is the budget this test holds. Its CPU cost is measured
        // (printed above, and per tick on three real nodes by bench/cluster-load.sh), not asserted: times on a shared
        // machine are no test.
        Assert.True(json.Length < 2_000_000, $"{json.Length} bytes");
    }
}
