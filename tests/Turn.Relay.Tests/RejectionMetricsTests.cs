using System.Net;
using Turn.Protocol;
using Turn.Relay.Seams;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests;

/// <summary>turn.peer.rejections by client transport; turn.quota.rejections by error code and a fixed set of reasons.</summary>
public sealed class RejectionMetricsTests
{
    private static readonly TransportAddress Loopback = TransportAddress.FromIPAddress(IPAddress.Loopback, 9);

    [Fact]
    public void PeerRejection_CountedWithTheClientsTransport()
    {
        using var harness = new EngineHarness();
        using var recorder = new MeasurementRecorder(harness.Metrics.Meter);

        var udp = harness.Allocated(out _);
        Assert.Equal(403, udp.CreatePermission(Loopback).ErrorCode);
        var tcp = harness.NewStreamClient(out _);
        Assert.True(tcp.Allocate().IsSuccess);
        Assert.Equal(403, tcp.CreatePermission(Loopback).ErrorCode);
        Assert.Equal(403, tcp.ChannelBind(0x4000, Loopback).ErrorCode);

        var rejections = recorder.Collect().Where(m => m.Name == "turn.peer.rejections").ToList();
        Assert.Equal(1, rejections.Where(m => m.Tag("network.transport") == "udp").Sum(m => m.Value));
        Assert.Equal(2, rejections.Where(m => m.Tag("network.transport") == "tcp").Sum(m => m.Value));
        Assert.All(rejections, m => Assert.Equal(["network.transport"], m.Tags.Keys));
    }

    [Fact]
    public void Draining_AllocateRefused_CountedAsCapacityRejectionAndRaisesTheEvent()
    {
        using var harness = new EngineHarness();
        using var recorder = new MeasurementRecorder(harness.Metrics.Meter);
        harness.Engine.Control.Drain();

        Assert.Equal(508, harness.NewClient().Allocate().ErrorCode);

        var rejection = Assert.Single(recorder.Collect(), m => m.Name == "turn.quota.rejections");
        Assert.Equal(1, rejection.Value);
        Assert.Equal("508", rejection.Tag("error.type"));
        Assert.Equal("draining", rejection.Tag("turn.rejection.reason"));
        var raised = Assert.Single(harness.Sink.Events, e => e.Kind == RelayEventKind.QuotaRejected);
        Assert.Equal(EngineHarness.Realm, raised.Realm);
        Assert.Equal("Server draining", raised.Reason);
    }

    [Theory]
    [InlineData("user_quota", 486)]
    [InlineData("total_quota", 508)]
    [InlineData("server_capacity", 508)]
    [InlineData("relay_ports", 508)]
    public void QuotaRejection_CarriesItsReason(string reason, int code)
    {
        using var harness = new EngineHarness(o =>
        {
            if (reason == "user_quota") o.UserQuota = 1;
            if (reason == "total_quota") o.TotalQuota = 1;
            if (reason == "server_capacity") o.MaxAllocations = 1;
            if (reason == "relay_ports") (o.MinPort, o.MaxPort) = (50000, 50000);
        });
        using var recorder = new MeasurementRecorder(harness.Metrics.Meter);
        Assert.True(harness.NewClient().Allocate().IsSuccess);

        Assert.Equal(code, harness.NewClient().Allocate().ErrorCode);

        var rejection = Assert.Single(recorder.Collect(), m => m.Name == "turn.quota.rejections");
        Assert.Equal(reason, rejection.Tag("turn.rejection.reason"));
        Assert.Equal(code.ToString(System.Globalization.CultureInfo.InvariantCulture), rejection.Tag("error.type"));
        Assert.Equal(1, harness.Sink.Count(RelayEventKind.QuotaRejected));
    }
}
