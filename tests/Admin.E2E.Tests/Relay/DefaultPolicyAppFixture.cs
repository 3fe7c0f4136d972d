using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Relay;

/// <summary>A second co-hosted app, with the default peer settings (Relay:AllowLoopbackPeers false), on its own database.</summary>
public sealed class DefaultPolicyAppFixture : IAsyncLifetime
{
    public const string User = "policy-kate";
    public const string Password = "kate-Passw0rd";

    private readonly TestCertificateAuthority _authority = new();

    internal CohostedRelayApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await CohostedRelayApp.StartAsync(_authority, minPort: 45400, maxPort: 45499, allowLoopbackPeers: false);
        await App.Cli.RunOkAsync("realm", "add", "--realm", CohostedRelayApp.Realm);
        await App.Cli.RunOkAsync("user", "add", "--realm", CohostedRelayApp.Realm, "--user", User, "--password", Password);
    }

    public TurnServerTarget Target(ClientTransport transport) => App.Target(transport, User, Password);

    public async Task DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        _authority.Dispose();
    }
}
