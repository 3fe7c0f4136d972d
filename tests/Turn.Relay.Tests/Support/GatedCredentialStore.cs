using Turn.Protocol;
using Turn.Relay.Seams;

namespace Turn.Relay.Tests.Support;

/// <summary>A slow store (a database under load): lookups wait until <see cref="Open"/>.</summary>
internal sealed class GatedCredentialStore : ICredentialStore
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Lookups;

    public void Open() => _gate.TrySetResult();

    public async ValueTask<byte[]?> GetLongTermKeyAsync(string realm, string username, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Lookups);
        await _gate.Task.WaitAsync(cancellationToken);
        return LongTermKey.Compute(username, realm, EngineHarness.Password);
    }

    public ValueTask<IReadOnlyList<string>> GetSharedSecretsAsync(string realm, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<string>>([]);
}
