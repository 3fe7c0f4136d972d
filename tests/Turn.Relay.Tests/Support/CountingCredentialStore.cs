using Turn.Relay.Seams;

namespace Turn.Relay.Tests.Support;

/// <summary>Counts every lookup a store and USERHASH resolver is asked for, then answers from <paramref name="inner"/>.</summary>
internal sealed class CountingCredentialStore<T>(T inner) : ICredentialStore, IUserHashResolver
    where T : ICredentialStore, IUserHashResolver
{
    private int _lookups;

    /// <summary>Long-term key, shared-secret and USERHASH lookups so far.</summary>
    public int Lookups => Volatile.Read(ref _lookups);

    public ValueTask<byte[]?> GetLongTermKeyAsync(string realm, string username, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lookups);
        return inner.GetLongTermKeyAsync(realm, username, cancellationToken);
    }

    public ValueTask<IReadOnlyList<string>> GetSharedSecretsAsync(string realm, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lookups);
        return inner.GetSharedSecretsAsync(realm, cancellationToken);
    }

    public ValueTask<string?> FindUserNameByHashAsync(string realm, ReadOnlyMemory<byte> userHash, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lookups);
        return inner.FindUserNameByHashAsync(realm, userHash, cancellationToken);
    }
}
