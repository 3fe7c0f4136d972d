using Turnstone.TestSupport.Clients;
using Turnstone.TestSupport.Clients.Suites;

namespace Admin.E2E.Tests.Relay;

/// <summary>
/// A second co-hosted app, with the default peer settings (Relay:AllowLoopbackPeers false), on its own database,
/// with two peer rules in coturn's tables: a global denied_peer_ip range and one allowed_peer_ip address of the realm.
/// </summary>
public sealed class DefaultPolicyAppFixture : IAsyncLifetime, IPeerPolicyRelayFixture
{
    public const string User = "policy-kate";
    public const string Password = "kate-Passw0rd";

    /// <summary>TEST-NET-2, denied by a global rule (realm "").</summary>
    public const string DeniedByRule = "198.51.100.7";

    /// <summary>A loopback address the realm allows; not one the runtime-rule test adds and removes.</summary>
    public const string AllowedByRule = "127.0.0.9";

    private readonly TestCertificateAuthority _authority = new();

    internal CohostedRelayApp App { get; private set; } = null!;

    public string Realm => CohostedRelayApp.Realm;

    public string DeniedByGlobalRule => DeniedByRule;

    public string AllowedByRealmRule => AllowedByRule;

    public async Task InitializeAsync()
    {
        App = await CohostedRelayApp.StartAsync(_authority, allowLoopbackPeers: false, relayPorts: 100);
        await App.Cli.RunOkAsync("realm", "add", "--realm", CohostedRelayApp.Realm);
        await App.Cli.RunOkAsync("user", "add", "--realm", CohostedRelayApp.Realm, "--user", User, "--password", Password);
        await App.ExecuteSqlAsync("INSERT INTO denied_peer_ip (realm, ip_range) VALUES ('', $1)", "198.51.100.0/24");
        await App.ExecuteSqlAsync("INSERT INTO allowed_peer_ip (realm, ip_range) VALUES ($1, $2)", CohostedRelayApp.Realm, AllowedByRule);
    }

    public TurnServerTarget Target(ClientTransport transport) => App.Target(transport, User, Password);

    public TurnServerTarget IPv6Target(ClientTransport transport) => App.IPv6Target(transport, User, Password);

    public async Task DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        _authority.Dispose();
    }
}
