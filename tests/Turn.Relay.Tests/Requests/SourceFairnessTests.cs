using System.Net;
using Turn.Protocol;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests.Requests;

/// <summary>With a slow store, one source cannot take every request slot: others still reach the store.</summary>
public sealed class SourceFairnessTests
{
    [Fact]
    public async Task SlowStore_OneSourceFloods_AnotherSourceIsStillAdmitted()
    {
        var store = new GatedCredentialStore();
        using var harness = new EngineHarness(o => (o.MaxRequestsInFlightPerSource, o.MaxRequestsInFlightPerPrefix) = (8, 0), credentials: store);
        using var recorder = new MeasurementRecorder(harness.Metrics.Meter);
        var flooder = harness.NewClient();
        flooder.Challenge();
        for (var i = 0; i < 500; i++)
            flooder.SendRaw(flooder.BuildRequest(StunMethod.Allocate, TransactionId.NewRandom(), (ref StunMessageWriter w) => w.WriteRequestedTransport(17), authenticate: true));
        Assert.Equal(8, Volatile.Read(ref store.Lookups));
        Assert.Equal(492, recorder.Collect().Where(m => m.Name == "turn.requests.limited" && m.Tag("turn.limit") == "source_in_flight").Sum(m => m.Value));

        var other = new TestClient(harness.Engine, harness.Endpoint, TransportAddress.FromIPAddress(IPAddress.Parse("198.51.100.9"), 5555),
            EngineHarness.User, EngineHarness.Password, EngineHarness.Realm);
        other.Challenge();
        other.SendRaw(other.BuildRequest(StunMethod.Allocate, TransactionId.NewRandom(), (ref StunMessageWriter w) => w.WriteRequestedTransport(17), authenticate: true));
        Assert.Equal(9, Volatile.Read(ref store.Lookups));

        store.Open();
        for (var i = 0; i < 200 && !other.Drain().Select(StunResponse.Parse).Any(r => r.IsSuccess); i++) await Task.Delay(10);
        Assert.Single(harness.Engine.State.GetSnapshot().Allocations, a => a.ClientAddress.Address.Equals(IPAddress.Parse("198.51.100.9")));
    }
}
