using Turn.Relay.Seams;

namespace Turn.Relay.Tests.Support;

internal sealed class TestRealmPolicyStore : IRealmPolicyStore
{
    public Dictionary<string, RealmPolicy> Policies { get; } = [];

    public ValueTask<RealmPolicy> GetPolicyAsync(string realm, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Policies.GetValueOrDefault(realm) ?? RealmPolicy.Empty);
}
