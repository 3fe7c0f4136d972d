using Turn.Protocol;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests;

public sealed class SlowStoreTests
{
    [Fact]
    public async Task SlowCredentialStore_RequestsAreAnsweredWhenItRespondsAndTheBacklogIsBounded()
    {
        var store = new GatedCredentialStore();
        // The server-wide bound, from one source: the per-source and per-prefix shares are off here
        // (RequestAdmissionTests covers them).
        using var harness = new EngineHarness(o => (o.MaxRequestsInFlightPerSource, o.MaxRequestsInFlightPerPrefix) = (0, 0), credentials: store);
        var client = harness.NewClient();
        client.Challenge();
        var requests = Enumerable.Range(0, 2_100)
            .Select(_ => client.BuildRequest(StunMethod.Allocate, TransactionId.NewRandom(), (ref StunMessageWriter w) => w.WriteRequestedTransport(17), authenticate: true))
            .ToList();
        foreach (var request in requests) client.SendRaw(request);
        // 2,048 wait on the store; the rest were shed without work.
        Assert.Equal(2_048, Volatile.Read(ref store.Lookups));
        Assert.Empty(client.Drain());

        // A retransmission of a waiting request is not processed twice.
        client.SendRaw(requests[0]);
        Assert.Equal(2_048, Volatile.Read(ref store.Lookups));

        store.Open();
        var answered = new List<byte[]>();
        for (var i = 0; i < 500 && answered.Count < 2_048; i++)
        {
            answered.AddRange(client.Drain());
            await Task.Delay(20);
        }
        var responses = answered.Select(StunResponse.Parse).ToList();
        Assert.Equal(2_048, responses.Count);
        Assert.Single(responses, r => r.IsSuccess);
        Assert.Equal(2_047, responses.Count(r => r.ErrorCode == 437));
    }
}
