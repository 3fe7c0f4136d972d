using Microsoft.Extensions.Options;
using Turn.Protocol;
using Turn.Relay.Seams;

namespace Turn.Relay;

/// <summary>
/// Credentials from configuration (Relay:Users, Relay:SharedSecrets) for relay-only mode.
/// Registered only when nothing else provides <see cref="ICredentialStore"/>.
/// </summary>
internal sealed class ConfigurationCredentialStore : ICredentialStore, IUserHashResolver
{
    private readonly Dictionary<(string Realm, string User), byte[]> _keys = [];
    private readonly Dictionary<(string Realm, string Hash), string> _byHash = [];
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
            _byHash[(realm, Convert.ToHexString(UserHash.Compute(user.Name, realm)))] = user.Name;
        }
    }

    public ValueTask<byte[]?> GetLongTermKeyAsync(string realm, string username, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_keys.TryGetValue((realm, username), out var key) ? key : null);

    public ValueTask<IReadOnlyList<string>> GetSharedSecretsAsync(string realm, CancellationToken cancellationToken) =>
        ValueTask.FromResult(string.Equals(realm, _defaultRealm, StringComparison.Ordinal) ? _secrets : (IReadOnlyList<string>)[]);

    public ValueTask<string?> FindUserNameByHashAsync(string realm, ReadOnlyMemory<byte> userHash, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_byHash.GetValueOrDefault((realm, Convert.ToHexString(userHash.Span))));
}
