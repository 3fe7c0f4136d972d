using Turnstone.TestSupport.Clients;
using Turnstone.TestSupport.Clients.Suites;

namespace Admin.E2E.Tests.Relay;

/// <summary>
/// A second co-hosted app, with the default peer settings (Relay:AllowLoopbackPeers false), on its own database,
/// with peer rules in coturn's tables: a global denied_peer_ip range, a global allowed_peer_ip loopback address (a
/// superuser's exception) and the realm's allowed_peer_ip rules for loopback and link-local, written as coturn's tools
/// would (the portal and API refuse them to a realm admin), which the relay must not honour.
/// </summary>
public sealed class DefaultPolicyAppFixture : IAsyncLifetime, IPeerPolicyRelayFixture
{
    public const string User = "policy-kate";
    public const string Password = "kate-Passw0rd";

    /// <summary>TEST-NET-2, denied by a global rule (realm "").</summary>
    public const string DeniedByRule = "198.51.100.7";

    /// <summary>A loopback address a global rule allows; not one the runtime-rule test adds and removes.</summary>
    public const string AllowedByRule = "127.0.0.9";

    private readonly TestCertificateAuthority _authority = new();

    internal CohostedRelayApp App { get; private set; } = null!;

    public string Realm => CohostedRelayApp.Realm;

    public string DeniedByGlobalRule => DeniedByRule;

    public string AllowedByGlobalException => AllowedByRule;

    public async Task InitializeAsync()
    {
        App = await CohostedRelayApp.StartAsync(_authority, allowLoopbackPeers: false, relayPorts: 100);
        await App.Cli.RunOkAsync("realm", "add", "--realm", CohostedRelayApp.Realm);
        await App.Cli.RunOkAsync("user", "add", "--realm", CohostedRelayApp.Realm, "--user", User, "--password", Password);
        await App.ExecuteSqlAsync("INSERT INTO denied_peer_ip (realm, ip_range) VALUES ('', $1)", "198.51.100.0/24");
        await App.ExecuteSqlAsync("INSERT INTO allowed_peer_ip (realm, ip_range) VALUES ('', $1)", AllowedByRule);
        foreach (var range in IPeerPolicyRelayFixture.RealmAllowRanges)
            await App.ExecuteSqlAsync("INSERT INTO allowed_peer_ip (realm, ip_range) VALUES ($1, $2)", CohostedRelayApp.Realm, range);
    }

    public TurnServerTarget Target(ClientTransport transport) => App.Target(transport, User, Password);

    public TurnServerTarget IPv6Target(ClientTransport transport) => App.IPv6Target(transport, User, Password);

    public async Task DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        _authority.Dispose();
    }
}
