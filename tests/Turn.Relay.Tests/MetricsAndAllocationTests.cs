using Turn.Relay.Diagnostics;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests;

public sealed class MetricsAndAllocationTests : IDisposable
{
    private readonly EngineHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Metrics_ReportAllocationsTrafficRequestsAndFailuresWithoutUserLabels()
    {
        using var recorder = new MeasurementRecorder(_harness.Metrics.Meter);

        var client = _harness.Allocated(out var allocation);
        client.CreatePermission(EngineHarness.Peer1);
        client.SendIndication(EngineHarness.Peer1, new byte[100]);
        _harness.Sockets.Get(allocation.XorRelayedAddress!.Value).Deliver(EngineHarness.Peer1, new byte[40]);
        _harness.NewClient(password: "wrong").Allocate();
        var measurements = recorder.Collect();
        Assert.Equal(RelayMetrics.MeterName, _harness.Metrics.Meter.Name);

        Assert.Contains(measurements, m => m.Name == "turn.allocations.active" && m.Value == 1 && m.Tag("network.transport") == "udp");
        Assert.Contains(measurements, m => m.Name == "turn.relay.bytes" && m.Value == 100 && m.Tag("direction") == "to_peer" && m.Tag("network.transport") == "udp");
        Assert.Contains(measurements, m => m.Name == "turn.relay.bytes" && m.Value == 40 && m.Tag("direction") == "to_client" && m.Tag("network.transport") == "udp");
        Assert.Contains(measurements, m => m.Name == "turn.requests" && m.Tag("turn.method") == "allocate" && m.Tag("turn.result") == "success");
        Assert.Contains(measurements, m => m.Name == "turn.requests" && m.Tag("turn.result") == "401");
        Assert.Contains(measurements, m => m.Name == "turn.auth.failures");
        // Bounded labels only: never a user name, an address or an allocation id.
        var allowed = new HashSet<string> { "network.transport", "direction", "turn.method", "turn.result", "error.type", "turn.rejection.reason" };
        Assert.All(measurements, m => Assert.Subset(allowed, m.Tags.Keys.ToHashSet()));
        Assert.DoesNotContain(measurements, m => m.Tags.Values.Any(v => v is string s && (s.Contains(EngineHarness.User, StringComparison.Ordinal) || s.Contains("203.0.113", StringComparison.Ordinal))));
    }

    [Fact]
    public void PortMetrics_CountHeldRelayPortsAgainstTheRange()
    {
        using var recorder = new MeasurementRecorder(_harness.Metrics.Meter);
        long Read(string name) => recorder.Collect().Last(m => m.Name == name).Value;

        Assert.Equal(0, Read("turn.relay.ports.used"));
        Assert.Equal(100, Read("turn.relay.ports.limit")); // the harness's 50000-50099

        var client = _harness.Allocated(out _);
        Assert.Equal(1, Read("turn.relay.ports.used"));

        client.Refresh(lifetime: 0);
        Assert.Equal(0, Read("turn.relay.ports.used"));
        Assert.Equal(100, Read("turn.relay.ports.limit"));
    }

    [Fact]
    public void RelayDataPath_AllocatesNothingPerPacket()
    {
        var client = _harness.Allocated(out var allocation);
        client.ChannelBind(0x4000, EngineHarness.Peer1);
        client.CreatePermission(EngineHarness.Peer2);
        var socket = _harness.Sockets.Get(allocation.XorRelayedAddress!.Value);
        socket.Record = false;
        _harness.Endpoint.Record = false;

        var channelData = new byte[4 + 100];
        Turn.Protocol.ChannelData.TryWrite(channelData, 0x4000, new byte[100], padToFour: false, out _);
        var indication = BuildSendIndication(EngineHarness.Peer2, 100);
        var peerBuffer = new byte[Transports.PeerDatagramLayout.BufferSize];

        void RelayOnce()
        {
            _harness.Engine.OnDatagram(_harness.Endpoint, client.Address, channelData);
            _harness.Engine.OnDatagram(_harness.Endpoint, client.Address, indication);
            socket.Deliver(EngineHarness.Peer1, peerBuffer, 100); // as ChannelData
            socket.Deliver(EngineHarness.Peer2, peerBuffer, 100); // as a Data indication
        }

        for (var i = 0; i < 1_000; i++) RelayOnce(); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++) RelayOnce();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        var snapshot = Assert.Single(_harness.Engine.State.GetSnapshot().Allocations);
        Assert.Equal(22_000, snapshot.PacketsFromClient);
        Assert.Equal(22_000, snapshot.PacketsToClient);
    }

    private static byte[] BuildSendIndication(Turn.Protocol.TransportAddress peer, int length)
    {
        var buffer = new byte[length + 64];
        var writer = new Turn.Protocol.StunMessageWriter(buffer);
        writer.WriteHeader(Turn.Protocol.StunMethod.Send, Turn.Protocol.StunClass.Indication, Turn.Protocol.TransactionId.NewRandom());
        writer.WriteXorAddress(Turn.Protocol.StunAttributeType.XorPeerAddress, peer);
        writer.WriteData(new byte[length]);
        return buffer[..writer.Length];
    }
}
