using System.Net;
using Turn.Protocol;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests.Requests;

/// <summary>
/// Reflection limits through the engine: unauthenticated answers (401, 438, 400, Binding) per source and prefix are
/// capped and the excess counted; authenticated requests and proven clients' Bindings are not charged.
/// </summary>
public sealed class UnauthenticatedAnswerBudgetTests
{
    private static EngineHarness Harness(int perSecond = 10, int burst = 20, int prefixPerSecond = 0, int prefixBurst = 1) => new(o =>
    {
        o.UnauthenticatedAnswersPerSecond = perSecond;
        o.UnauthenticatedAnswerBurst = burst;
        o.UnauthenticatedAnswersPerPrefixPerSecond = prefixPerSecond;
        o.UnauthenticatedAnswerPrefixBurst = prefixBurst;
    });

    private static byte[] Unauthenticated(TestClient client, StunMethod method = StunMethod.Allocate) =>
        client.BuildRequest(method, TransactionId.NewRandom(), (ref StunMessageWriter w) => w.WriteRequestedTransport(17), authenticate: false);

    [Fact]
    public void FiveThousandUnauthenticatedRequests_FromOneSource_GetTheBurst_TheRestIsDroppedAndCounted()
    {
        using var harness = Harness();
        using var recorder = new MeasurementRecorder(harness.Metrics.Meter);
        var client = harness.NewClient();
        for (var i = 0; i < 5_000; i++) client.SendRaw(Unauthenticated(client));
        var answers = client.Drain();
        Assert.Equal(20, answers.Count);
        Assert.All(answers, a => Assert.Equal(401, StunResponse.Parse(a).ErrorCode));
        Assert.Equal(4_980, recorder.Collect().Where(m => m.Name == "turn.requests.limited" && m.Tag("turn.limit") == "unauthenticated_answer").Sum(m => m.Value));

        harness.Advance(TimeSpan.FromSeconds(1)); // 10 per second
        for (var i = 0; i < 100; i++) client.SendRaw(Unauthenticated(client));
        Assert.Equal(10, client.Drain().Count);
    }

    [Fact]
    public void BudgetSpent_AnotherSourceIsStillAnswered_AndTheSpentSourceCanStillAuthenticate()
    {
        using var harness = Harness();
        var client = harness.NewClient();
        client.Challenge();
        for (var i = 0; i < 100; i++) client.SendRaw(Unauthenticated(client, StunMethod.Refresh));
        client.Drain();

        Assert.True(client.Allocate().IsSuccess); // authenticated answers are not charged
        Assert.True(client.Refresh().IsSuccess);
        var other = new TestClient(harness.Engine, harness.Endpoint, TransportAddress.FromIPAddress(IPAddress.Parse("198.51.100.77"), 1234),
            EngineHarness.User, EngineHarness.Password, EngineHarness.Realm);
        Assert.Equal(401, other.Challenge().ErrorCode);
    }

    [Fact]
    public void Bindings_AreChargedUntilTheClientHasAnAllocation()
    {
        using var harness = Harness(burst: 5);
        var client = harness.NewClient();
        client.Challenge(); // 1 of 5
        var binding = () => client.BuildRequest(StunMethod.Binding, TransactionId.NewRandom(), null, authenticate: false);
        for (var i = 0; i < 10; i++) client.SendRaw(binding());
        Assert.Equal(4, client.Drain().Count);

        // The allocation's own 5-tuple is proven: its keepalives are answered whatever the budget.
        Assert.True(client.Allocate().IsSuccess);
        for (var i = 0; i < 10; i++) client.SendRaw(binding());
        Assert.Equal(10, client.Drain().Count);
    }

    [Fact]
    public void BadRequests_AreCharged()
    {
        using var harness = Harness(burst: 3);
        var client = harness.NewClient();
        client.Challenge();
        client.Username = "nul\0";
        for (var i = 0; i < 10; i++) client.SendRaw(client.BuildRequest(StunMethod.Allocate, TransactionId.NewRandom(), null, authenticate: true));
        Assert.Equal(2, client.Drain().Count);
    }

    [Fact]
    public void Prefix_SharesOneBudgetAcrossItsSources()
    {
        using var harness = Harness(perSecond: 100, burst: 100, prefixPerSecond: 1, prefixBurst: 10);
        var answered = 0;
        for (var host = 1; host <= 20; host++)
        {
            var client = new TestClient(harness.Engine, harness.Endpoint, TransportAddress.FromIPAddress(IPAddress.Parse($"198.51.100.{host}"), 1000),
                EngineHarness.User, EngineHarness.Password, EngineHarness.Realm);
            client.SendRaw(Unauthenticated(client));
            answered += client.Drain().Count;
        }
        Assert.Equal(10, answered);
    }

    [Fact]
    public void ChallengeSize_ForA20ByteRequest()
    {
        using var harness = Harness();
        var client = harness.NewClient();
        var request = client.BuildRequest(StunMethod.Allocate, TransactionId.NewRandom(), null, authenticate: false);
        Assert.Equal(20, request.Length);
        client.SendRaw(request);
        var answer = Assert.Single(client.Drain());
        // Header 20, SOFTWARE "Turnstone" 4+12, ERROR-CODE 401 "Unauthorized" 4+16, REALM "example.org" 4+12,
        // NONCE 4+40, PASSWORD-ALGORITHMS 4+4.
        Assert.Equal(124, answer.Length);
    }
}
