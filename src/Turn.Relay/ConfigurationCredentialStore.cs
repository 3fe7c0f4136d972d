using Microsoft.Extensions.Options;
using Turn.Protocol;
using Turn.Relay.Seams;

namespace Turn.Relay;

/// <summary>
/// Credentials from configuration (Relay:Users, Relay:SharedSecrets for the default realm,
/// Relay:RealmSharedSecrets for others) for relay-only mode. Registered only when nothing else provides
/// <see cref="ICredentialStore"/>. Every lookup is one dictionary probe, whatever the name asked for, so
/// unknown names cost nothing to remember or forget.
/// </summary>
internal sealed class ConfigurationCredentialStore : ICredentialStore, IUserHashResolver
{
    private readonly Dictionary<(string Realm, string User), byte[]> _keys = [];
    private readonly Dictionary<(string Realm, string Hash), string> _byHash = [];
    private readonly Dictionary<string, IReadOnlyList<string>> _secrets = new(StringComparer.Ordinal);

    public ConfigurationCredentialStore(IOptions<RelayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        foreach (var (realm, secrets) in o.RealmSharedSecrets) _secrets[realm] = [.. secrets];
        if (o.SharedSecrets.Count > 0) _secrets[o.DefaultRealm] = [.. o.SharedSecrets];
        foreach (var user in o.Users)
        {
            var realm = string.IsNullOrEmpty(user.Realm) ? o.DefaultRealm : user.Realm;
            _keys[(realm, user.Name)] = LongTermKey.Compute(user.Name, realm, user.Password);
            _byHash[(realm, Convert.ToHexString(UserHash.Compute(user.Name, realm)))] = user.Name;
        }
    }

    public ValueTask<byte[]?> GetLongTermKeyAsync(string realm, string username, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_keys.TryGetValue((realm, username), out var key) ? key : null);

    public ValueTask<IReadOnlyList<string>> GetSharedSecretsAsync(string realm, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_secrets.TryGetValue(realm, out var secrets) ? secrets : (IReadOnlyList<string>)[]);

    public ValueTask<string?> FindUserNameByHashAsync(string realm, ReadOnlyMemory<byte> userHash, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_byHash.GetValueOrDefault((realm, Convert.ToHexString(userHash.Span))));
}
