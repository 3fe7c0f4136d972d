using Turn.Protocol;
using Turn.Relay.Diagnostics;
using Turn.Relay.Seams;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests;

/// <summary>A credential store that cannot answer (its database is down) costs a 500 per request, not the server.</summary>
public sealed class FailingStoreTests
{
    [Fact]
    public void StoreThrows_RequestsAnswered500_AndTheEngineKeepsServing()
    {
        var store = new SwitchableStore();
        using var harness = new EngineHarness(credentials: store);
        var client = harness.NewClient();
        Assert.True(client.Allocate().IsSuccess);

        store.Failing = true;
        for (var i = 0; i < 3; i++) Assert.Equal(500, client.Refresh().ErrorCode);
        Assert.Equal(500, harness.NewClient().Allocate().ErrorCode);

        store.Failing = false;
        Assert.True(client.Refresh().IsSuccess);
    }

    [Fact]
    public void LogThrottle_OneLinePerInterval_CountsTheRest()
    {
        var throttle = new LogThrottle();

        Assert.True(throttle.TryEnter(1_000, 100, out var heldBack));
        Assert.Equal(0, heldBack);
        Assert.False(throttle.TryEnter(1_050, 100, out _));
        Assert.False(throttle.TryEnter(1_099, 100, out _));
        Assert.True(throttle.TryEnter(1_100, 100, out heldBack));
        Assert.Equal(2, heldBack);
        Assert.False(throttle.TryEnter(1_150, 100, out _));
    }

    private sealed class SwitchableStore : ICredentialStore
    {
        public volatile bool Failing;

        public ValueTask<byte[]?> GetLongTermKeyAsync(string realm, string username, CancellationToken cancellationToken) => Failing
            ? ValueTask.FromException<byte[]?>(new TimeoutException("database down"))
            : ValueTask.FromResult<byte[]?>(LongTermKey.Compute(username, realm, EngineHarness.Password));

        public ValueTask<IReadOnlyList<string>> GetSharedSecretsAsync(string realm, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<string>>([]);
    }
}
