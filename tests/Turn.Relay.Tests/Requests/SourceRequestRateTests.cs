using System.Net;
using Turn.Protocol;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests.Requests;

/// <summary>
/// The per-source request rate (Relay:RequestsPerSecondPerSource): requests from a source without an allocation beyond
/// its rate are dropped unread and counted; other sources, and the requests and data of allocations, are not held back.
/// </summary>
public sealed class SourceRequestRateTests
{
    private static EngineHarness Harness(int perSecond = 10, int burst = 50) => new(o =>
    {
        o.RequestsPerSecondPerSource = perSecond;
        o.RequestBurstPerSource = burst;
        // Answers are not what is measured here.
        o.UnauthenticatedAnswersPerSecond = 0;
        o.UnauthenticatedAnswersPerPrefixPerSecond = 0;
    });

    private static byte[] Unauthenticated(TestClient client) =>
        client.BuildRequest(StunMethod.Allocate, TransactionId.NewRandom(), (ref StunMessageWriter w) => w.WriteRequestedTransport(17), authenticate: false);

    [Fact]
    public void AFloodingSource_IsReadAtItsRate_TheRestIsDroppedUnreadAndCounted()
    {
        using var harness = Harness();
        using var recorder = new MeasurementRecorder(harness.Metrics.Meter);
        var client = harness.NewClient();
        for (var i = 0; i < 1_000; i++) client.SendRaw(Unauthenticated(client));

        Assert.Equal(50, client.Drain().Count);
        Assert.Equal(950, recorder.Collect().Where(m => m.Name == "turn.requests.limited" && m.Tag("turn.limit") == "source_request_rate").Sum(m => m.Value));

        harness.Advance(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 100; i++) client.SendRaw(Unauthenticated(client));
        Assert.Equal(10, client.Drain().Count);
    }

    [Fact]
    public void AnotherSource_IsStillRead_WhileOneFloods()
    {
        using var harness = Harness();
        var flooder = harness.NewClient();
        for (var i = 0; i < 1_000; i++) flooder.SendRaw(Unauthenticated(flooder));
        flooder.Drain();

        var other = new TestClient(harness.Engine, harness.Endpoint, TransportAddress.FromIPAddress(IPAddress.Parse("198.51.100.77"), 1234),
            EngineHarness.User, EngineHarness.Password, EngineHarness.Realm);
        Assert.True(other.Allocate().IsSuccess);
    }

    [Fact]
    public void AnAllocationsRequests_AreNeverCounted()
    {
        using var harness = Harness(perSecond: 1, burst: 3);
        var client = harness.NewClient();
        Assert.True(client.Allocate().IsSuccess); // 401 + Allocate: 2 of 3

        // Its 5-tuple has an allocation: refreshes and permissions go on whatever the source's rate.
        for (var i = 0; i < 20; i++) Assert.True(client.Refresh().IsSuccess);
        Assert.True(client.CreatePermission(EngineHarness.Peer1).IsSuccess);
    }
}
