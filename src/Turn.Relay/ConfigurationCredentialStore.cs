using Microsoft.Extensions.Options;
using Turn.Protocol;
using Turn.Relay.Seams;

namespace Turn.Relay;

/// <summary>
/// Credentials from configuration (Relay:Users, Relay:SharedSecrets) for relay-only mode.
/// Registered only when nothing else provides <see cref="ICredentialStore"/>.
/// </summary>
public sealed class ConfigurationCredentialStore : ICredentialStore
{
    private readonly Dictionary<(string Realm, string User), byte[]> _keys = [];
    private readonly string _defaultRealm;
    private readonly IReadOnlyList<string> _secrets;

    public ConfigurationCredentialStore(IOptions<RelayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        _defaultRealm = o.DefaultRealm;
        _secrets = [.. o.SharedSecrets];
        foreach (var user in o.Users)
        {
            var realm = string.IsNullOrEmpty(user.Realm) ? o.DefaultRealm : user.Realm;
            _keys[(realm, user.Name)] = LongTermKey.Compute(user.Name, realm, user.Password);
        }
    }

    public ValueTask<byte[]?> GetLongTermKeyAsync(string realm, string username, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_keys.TryGetValue((realm, username), out var key) ? key : null);

    public ValueTask<IReadOnlyList<string>> GetSharedSecretsAsync(string realm, CancellationToken cancellationToken) =>
        ValueTask.FromResult(string.Equals(realm, _defaultRealm, StringComparison.Ordinal) ? _secrets : (IReadOnlyList<string>)[]);
}
