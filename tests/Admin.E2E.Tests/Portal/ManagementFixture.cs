using Admin.Data.Administration;
using Admin.E2E.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Turn.Relay.Seams;

namespace Admin.E2E.Tests.Portal;

/// <summary>
/// The portal with a relay that real TURN clients use: the relay's realm is the one the tests create in the
/// portal, loopback peers are allowed (the echo peer runs on 127.0.0.1).
/// </summary>
public sealed class ManagementFixture : PortalFixture
{
    /// <summary>The realm the relay offers in its 401 answers; tests create it through the portal.</summary>
    public const string RelayRealm = "relay.portal.test";

    protected override void Configure(AppFixtureBuilder builder) =>
        builder.WithRelayRealm(RelayRealm).AllowLoopbackPeers().WithRelayPorts(300);

    public int RelayUdpPort => App.TurnPort;

    public IRelayState RelayState => Services.GetRequiredService<IRelayState>();

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public static AdminActor Setup { get; } = AdminActor.Superuser("e2e-setup", "127.0.0.1");
}
